using System.Diagnostics;

namespace OrderHub.Testing;

/// <summary>
/// The one way tests wait for work already started elsewhere (socket I/O, another process, a server) to show: the
/// condition is checked until it holds, and a bound of real time fails the test by itself. Never used to wait for time
/// to pass: time-dependent code runs on a fake clock.
/// </summary>
public static class Eventually
{
    /// <summary>The bound of a wait when none is given: generous, since it only matters when the test fails.</summary>
    public static readonly TimeSpan DefaultBound = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(10);

    /// <summary>Waits until <paramref name="condition"/> holds.</summary>
    /// <param name="condition">What is awaited.</param>
    /// <param name="because">What is awaited, in words, for the failure message.</param>
    /// <param name="within">The bound of real time; <see cref="DefaultBound"/> when null.</param>
    /// <param name="whileRunning">A process that must still be running while the condition does not hold.</param>
    /// <returns>A task that completes when the condition holds.</returns>
    /// <exception cref="TimeoutException">The condition did not hold within the bound, or the process exited first.</exception>
    public static Task TrueAsync(Func<bool> condition, string because, TimeSpan? within = null, Process? whileRunning = null) =>
        TrueAsync(() => Task.FromResult(condition()), because, within, whileRunning);

    /// <summary>Waits until the asynchronous <paramref name="condition"/> holds.</summary>
    /// <param name="condition">What is awaited.</param>
    /// <param name="because">What is awaited, in words, for the failure message.</param>
    /// <param name="within">The bound of real time; <see cref="DefaultBound"/> when null.</param>
    /// <param name="whileRunning">A process that must still be running while the condition does not hold.</param>
    /// <returns>A task that completes when the condition holds.</returns>
    /// <exception cref="TimeoutException">The condition did not hold within the bound, or the process exited first.</exception>
    public static async Task TrueAsync(Func<Task<bool>> condition, string because, TimeSpan? within = null, Process? whileRunning = null)
    {
        var bound = within ?? DefaultBound;
        var started = Stopwatch.StartNew();
        while (!await condition())
        {
            if (whileRunning is { HasExited: true })
            {
                throw new TimeoutException($"The process exited (code {whileRunning.ExitCode}) before {because}.");
            }

            if (started.Elapsed > bound)
            {
                throw new TimeoutException($"Timed out after {bound.TotalSeconds:0} s waiting until {because}.");
            }

            await Task.Delay(Step);
        }
    }

    /// <summary>Calls <paramref name="call"/> until it no longer fails with an exception <paramref name="transient"/> accepts.</summary>
    /// <typeparam name="T">What the call returns.</typeparam>
    /// <param name="call">The call that is expected to succeed once the other side is ready.</param>
    /// <param name="transient">Which failures mean "not ready yet"; any other is thrown at once.</param>
    /// <param name="within">The bound of real time; <see cref="DefaultBound"/> when null. The last failure is thrown past it.</param>
    /// <returns>What the first successful call returned.</returns>
    public static async Task<T> SucceedsAsync<T>(Func<Task<T>> call, Func<Exception, bool> transient, TimeSpan? within = null)
    {
        var bound = within ?? DefaultBound;
        var started = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (transient(e) && started.Elapsed <= bound)
            {
                await Task.Delay(Step);
            }
        }
    }
}
