using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using OrderHub.Providers;

namespace OrderHub.Testing;

/// <summary>
/// A source with bulk exports and a change feed over a list of orders, on a fake clock: a job is <c>IN_QUEUE</c> for the
/// first half of <see cref="ProcessingTime"/>, <c>IN_PROGRESS</c> for the second, then <c>DONE</c> (or <c>CANCELLED</c>
/// when its window holds no order, or <c>FATAL</c> when <see cref="Fails"/> says so). Every call is recorded, the jobs
/// in flight counted, and a test can stop the caller at a chosen step (<see cref="KillAt"/>) as a kill would.
/// </summary>
public sealed partial class ScriptedBackfillSource(TimeProvider time) : IOrderBackfillSource, IOrderChangeFeed
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Order> _orders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Job> _jobs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _outstanding = new(StringComparer.Ordinal);
    private readonly List<(OrderBackfillWindow Window, DateTimeOffset At, string JobId)> _requested = [];
    private readonly List<(string JobId, DateTimeOffset At)> _polls = [];
    private readonly List<OrderBackfillWindow> _finds = [];
    private readonly List<string> _reads = [];
    private readonly List<OrderChangeQuery> _changeQueries = [];
    private readonly Dictionary<DateTimeOffset, int> _attempts = [];
    private int _nextJob = 5000;

    /// <summary>Gets the source's name.</summary>
    public string Name => "reports";

    /// <inheritdoc />
    public OrderIdFormat OrderIdFormat { get; } = new("3-7-7 digits", "902-3159896-1390916", ThreeSevenSeven());

    /// <summary>Gets or sets the backfill rules (30-day windows, three jobs in flight, 15 s polls doubling to 2 min, 10 min after a failure, 30 min lag).</summary>
    public OrderBackfillRules BackfillRules { get; set; } = new()
    {
        MaxWindow = TimeSpan.FromDays(30),
        RegularHistory = TimeSpan.FromDays(730),
        MaxJobsInFlight = 3,
        PollInterval = TimeSpan.FromSeconds(15),
        MaxPollInterval = TimeSpan.FromMinutes(2),
        FailedRetryDelay = TimeSpan.FromMinutes(10),
        DataLag = TimeSpan.FromMinutes(30),
    };

    /// <summary>Gets or sets how long a job takes to finish.</summary>
    public TimeSpan ProcessingTime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets how long after its creation a job answers a state OrderHub does not know (<c>PAUSED</c>) first.</summary>
    public TimeSpan UnknownStateFor { get; set; }

    /// <summary>Gets or sets which jobs end <c>FATAL</c>: given the window and the attempt (1 for the first job of the window).</summary>
    public Func<OrderBackfillWindow, int, bool>? Fails { get; set; }

    /// <summary>Gets or sets whether the jobs say when they were made (<see cref="OrderBackfillJob.CreatedAt"/>).</summary>
    public bool SaysWhenMade { get; set; } = true;

    /// <summary>Gets or sets where to stop the caller as a kill would: <c>request:&lt;window start&gt;</c> (after the job is made), <c>poll:&lt;job&gt;</c>, <c>read:&lt;job&gt;:&lt;orders read&gt;</c>.</summary>
    public Func<string, bool>? KillAt { get; set; }

    /// <summary>Gets or sets the jobs whose export cannot be read (cut short after its first order), once each.</summary>
    public HashSet<string> Unreadable { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets the windows asked for, when, and the jobs made for them.</summary>
    public IReadOnlyList<(OrderBackfillWindow Window, DateTimeOffset At, string JobId)> Requested { get { lock (_lock) { return [.. _requested]; } } }

    /// <summary>Gets the polls, and when.</summary>
    public IReadOnlyList<(string JobId, DateTimeOffset At)> Polls { get { lock (_lock) { return [.. _polls]; } } }

    /// <summary>Gets the windows looked for among the finished exports.</summary>
    public IReadOnlyList<OrderBackfillWindow> Finds { get { lock (_lock) { return [.. _finds]; } } }

    /// <summary>Gets the jobs whose exports were read (each time one was started).</summary>
    public IReadOnlyList<string> Reads { get { lock (_lock) { return [.. _reads]; } } }

    /// <summary>Gets the change feed's queries.</summary>
    public IReadOnlyList<OrderChangeQuery> ChangeQueries { get { lock (_lock) { return [.. _changeQueries]; } } }

    /// <summary>Gets the most jobs asked for at once whose end had not been told yet.</summary>
    public int MostInFlight { get; private set; }

    /// <inheritdoc />
    public OrderChangeFeedRules ChangeFeedRules { get; } = new()
    {
        SettleDelay = TimeSpan.FromMinutes(2),
        MaxMarketplaces = 50,
        MaxPageSize = 100,
        PageTokenLifetime = TimeSpan.FromHours(24),
    };

    /// <inheritdoc />
    public IRateLimitStatus ChangeFeedRateLimit { get; } = new FixedRate(1 / 180.0);

    /// <summary>Adds an order placed (and last updated) at a time, or replaces it.</summary>
    /// <param name="orderId">The order id (3-7-7 digits).</param>
    /// <param name="placed">When it was placed.</param>
    /// <param name="updated">When it was last updated; <paramref name="placed"/> when null.</param>
    /// <param name="status">Its status, in the upstream's word.</param>
    /// <returns>This source.</returns>
    public ScriptedBackfillSource Place(string orderId, DateTimeOffset placed, DateTimeOffset? updated = null, string status = "Shipped")
    {
        lock (_lock)
        {
            _orders[orderId] = new Order
            {
                Source = Name,
                OrderId = orderId,
                Status = new ProviderValue<OrderStatus>(status == "Shipped" ? OrderStatus.Shipped : OrderStatus.Pending, status),
                CreatedAt = placed,
                LastUpdatedAt = updated ?? placed,
                RawPayload = RawPayload.FromElement(JsonDocument.Parse($$"""{"id":"{{orderId}}","status":"{{status}}"}""").RootElement),
            };
        }

        return this;
    }

    /// <summary>Adds a finished export of a window, as an earlier run (or another program) left it.</summary>
    /// <param name="window">The window.</param>
    /// <param name="madeAt">When it was made.</param>
    /// <returns>The job's id.</returns>
    public string AddFinished(OrderBackfillWindow window, DateTimeOffset madeAt)
    {
        lock (_lock)
        {
            var id = (++_nextJob).ToString(System.Globalization.CultureInfo.InvariantCulture);
            _jobs[id] = new Job(id, window, madeAt, Failed: false, Ready: madeAt);
            return id;
        }
    }

    /// <inheritdoc />
    public Task<Order> GetOrderAsync(string orderId, OrderReadOptions options, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("A backfill reads exports, never single orders.");

    /// <summary>Gets or sets how long a lookup of a finished export takes on the fake clock (a wait for its permit), moved on by the lookup itself.</summary>
    public TimeSpan FindTakes { get; set; }

    /// <inheritdoc />
    public Task<OrderBackfillJob?> FindFinishedAsync(OrderBackfillWindow window, CancellationToken cancellationToken = default)
    {
        if (FindTakes > TimeSpan.Zero && time is TimerWatch watch)
        {
            watch.Clock.Advance(FindTakes);
        }

        lock (_lock)
        {
            _finds.Add(window);
            var now = time.GetUtcNow();
            var found = _jobs.Values.Where(j => j.Window == window && j.Ready <= now && !j.Failed).MaxBy(j => j.Created);
            return Task.FromResult(found is null ? null : (OrderBackfillJob?)Describe(found, now));
        }
    }

    /// <inheritdoc />
    public Task<OrderBackfillJob> RequestAsync(OrderBackfillWindow window, CancellationToken cancellationToken = default)
    {
        OrderBackfillJob answer;
        lock (_lock)
        {
            var now = time.GetUtcNow();
            var rules = BackfillRules;
            if (window.End - window.Start > rules.MaxWindow || window.End > now || window.Start >= window.End)
            {
                throw new InvalidOrderRequestException($"The window {window} breaks the rules.", new OrderErrorContext(Name));
            }

            var regularFrom = now - rules.RegularHistory;
            if (window.Start < regularFrom && window.End > regularFrom)
            {
                throw new InvalidOrderRequestException($"The window {window} spans the two-year line at {regularFrom:O}.", new OrderErrorContext(Name));
            }

            var attempt = _attempts[window.Start] = _attempts.GetValueOrDefault(window.Start) + 1;
            var id = (++_nextJob).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var job = new Job(id, window, now, Fails?.Invoke(window, attempt) ?? false, now + UnknownStateFor + ProcessingTime);
            _jobs[id] = job;
            _requested.Add((window, now, id));
            _outstanding.Add(id);
            MostInFlight = Math.Max(MostInFlight, _outstanding.Count);
            answer = Describe(job, now);
        }

        Kill($"request:{window.Start:O}");
        return Task.FromResult(answer);
    }

    /// <inheritdoc />
    public Task<OrderBackfillJob> GetAsync(OrderBackfillJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        Kill($"poll:{job.JobId}");
        lock (_lock)
        {
            var now = time.GetUtcNow();
            _polls.Add((job.JobId, now));
            var known = _jobs[job.JobId];
            var answer = Describe(known, now);
            if (answer.State is OrderBackfillJobState.Done or OrderBackfillJobState.Empty or OrderBackfillJobState.Failed)
            {
                _outstanding.Remove(job.JobId);
            }

            return Task.FromResult(answer);
        }
    }

    /// <inheritdoc />
    public IAsyncEnumerable<Order> ReadAsync(OrderBackfillJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.State != OrderBackfillJobState.Done || job.DocumentId is null)
        {
            throw new InvalidOrderRequestException($"Job {job.JobId} is not done.", new OrderErrorContext(Name));
        }

        return ReadExportAsync(job, cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<OrderChangePage> ReadChangesAsync(OrderChangeQuery query, CancellationToken cancellationToken = default)
    {
        OrderChangeQueryRules.Validate(query, ChangeFeedRules, time.GetUtcNow(), Name);
        return ReadChangePagesAsync(query, cancellationToken);
    }

    /// <summary>Gets the orders an export of the window holds, in the export's order.</summary>
    /// <param name="window">The window.</param>
    /// <returns>The orders' ids.</returns>
    public IReadOnlyList<string> OrdersIn(OrderBackfillWindow window)
    {
        lock (_lock)
        {
            return [.. InWindow(window).Select(o => o.OrderId)];
        }
    }

    private IEnumerable<Order> InWindow(OrderBackfillWindow window) =>
        _orders.Values.Where(o => o.CreatedAt >= window.Start && o.CreatedAt < window.End).OrderBy(o => o.CreatedAt).ThenBy(o => o.OrderId, StringComparer.Ordinal);

    private async IAsyncEnumerable<Order> ReadExportAsync(OrderBackfillJob job, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Order[] orders;
        bool unreadable;
        lock (_lock)
        {
            _reads.Add(job.JobId);
            orders = [.. InWindow(_jobs[job.JobId].Window).Select(o => o with { Completeness = OrderCompleteness.Partial })];
            unreadable = Unreadable.Remove(job.JobId);
        }

        var read = 0;
        foreach (var order in orders)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            Kill($"read:{job.JobId}:{read}");
            if (unreadable && read == 1)
            {
                throw new OrderSourceProtocolException($"The export of job {job.JobId} was cut short.", null, new OrderErrorContext(Name) { RequestId = $"doc-{job.JobId}" });
            }

            read++;
            yield return order;
        }
    }

    private async IAsyncEnumerable<OrderChangePage> ReadChangePagesAsync(OrderChangeQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        Order[] page;
        lock (_lock)
        {
            _changeQueries.Add(query);
            var end = query.Before ?? time.GetUtcNow() - ChangeFeedRules.SettleDelay;
            page = [.. _orders.Values.Where(o => o.LastUpdatedAt >= query.After && o.LastUpdatedAt <= end).OrderBy(o => o.LastUpdatedAt)];
        }

        yield return new OrderChangePage { Orders = page, WindowEnd = query.Before, RequestId = $"search-{_changeQueries.Count}" };
    }

    private OrderBackfillJob Describe(Job job, DateTimeOffset now)
    {
        var (state, raw) = job switch
        {
            _ when now < job.Created + UnknownStateFor && job.Ready > now => (OrderBackfillJobState.Unknown, "PAUSED"),
            _ when now < job.Ready - (ProcessingTime / 2) => (OrderBackfillJobState.Queued, "IN_QUEUE"),
            _ when now < job.Ready => (OrderBackfillJobState.InProgress, "IN_PROGRESS"),
            { Failed: true } => (OrderBackfillJobState.Failed, "FATAL"),
            _ when !InWindow(job.Window).Any() => (OrderBackfillJobState.Empty, "CANCELLED"),
            _ => (OrderBackfillJobState.Done, "DONE"),
        };
        return new OrderBackfillJob
        {
            JobId = job.Id,
            Window = job.Window,
            State = state,
            RawState = raw,
            DocumentId = state == OrderBackfillJobState.Done ? $"doc-{job.Id}" : null,
            RequestId = $"req-{job.Id}-{now.ToUnixTimeSeconds()}",
            CreatedAt = SaysWhenMade ? job.Created : null,
        };
    }

    private void Kill(string step)
    {
        if (KillAt?.Invoke(step) == true)
        {
            throw new SimulatedKillException(step);
        }
    }

    [GeneratedRegex(@"^\d{3}-\d{7}-\d{7}$")]
    private static partial Regex ThreeSevenSeven();

    private sealed record Job(string Id, OrderBackfillWindow Window, DateTimeOffset Created, bool Failed, DateTimeOffset Ready);

    private sealed class FixedRate(double rate) : IRateLimitStatus
    {
        public double PermitsPerSecond => rate;

        public double AvailablePermits => 1;

        public int QueuedPermits => 0;

        public TimeSpan EstimateWait() => TimeSpan.Zero;
    }
}

/// <summary>Thrown where a test stops a run as <c>kill -9</c> would: whatever it had not stored is lost.</summary>
/// <param name="step">Where.</param>
public sealed class SimulatedKillException(string step) : Exception($"Killed at {step}.");
