using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OrderHub.Hosting;
using OrderHub.RateLimits;
using OrderHub.Sync;

namespace OrderHub;

/// <summary>OrderHub's health checks, for <c>services.AddHealthChecks().AddOrderHub()</c>.</summary>
public static class OrderHubHealthChecks
{
    /// <summary>The tag every OrderHub check carries, to map them on an endpoint of their own (<c>Predicate = c => c.Tags.Contains("orderhub")</c>).</summary>
    public const string Tag = "orderhub";

    /// <summary>
    /// Adds the checks of OrderHub's parts: <c>orderhub-store</c> (the order store answers a read),
    /// <c>orderhub-quota-store</c> (the store the sources' rate limits are shared through answers, when they are
    /// shared: degraded when it does not, for upstream calls then wait for it or fail), <c>orderhub-sources</c>
    /// (what each source's upstream last said of its credentials: degraded when one refused them) and, when the
    /// follower is registered, <c>orderhub-follower</c> (degraded when a source's copy is further behind than
    /// <see cref="OrderFollowerOptions.MaxLag"/>, or its follower is restarting after an error). Their data hold
    /// names, states and seconds only: no secret, no order content.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddOrderHub(this IHealthChecksBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Services.Any(d => d.ServiceType == typeof(Registered)))
        {
            return builder; // added already (AddOrderHubApi adds them too): a check registered twice would fail every report
        }

        builder.Services.AddSingleton<Registered>();
        builder.AddCheck<StoreHealthCheck>("orderhub-store", HealthStatus.Unhealthy, [Tag]);
        builder.AddCheck<QuotaStoreHealthCheck>("orderhub-quota-store", HealthStatus.Degraded, [Tag]);
        builder.AddCheck<SourceCredentialsHealthCheck>("orderhub-sources", HealthStatus.Degraded, [Tag]);
        builder.AddCheck<FollowerHealthCheck>("orderhub-follower", HealthStatus.Degraded, [Tag]);
        return builder;
    }

    /// <summary>Marks the checks as added.</summary>
    internal sealed class Registered;

    /// <summary>A read of a key that cannot exist: it proves the store answers, without touching an order.</summary>
    internal sealed class StoreHealthCheck(IOrderStore store) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await store.GetAsync("healthz", "-", cancellationToken).ConfigureAwait(false);
                return HealthCheckResult.Healthy("The order store answers.");
            }
            catch (OrderStoreException e)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, $"The order store cannot be read: {e.Message}");
            }
        }
    }

    /// <summary>A reservation on a bucket of its own (never a seller's), without waiting: it proves the store answers.</summary>
    internal sealed class QuotaStoreHealthCheck(IServiceProvider services) : IHealthCheck
    {
        private static readonly QuotaDefinition Probe = new("orderhub|healthz", 1000, 1000);

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            if (services.GetService<IQuotaStore>() is not { } store || store is InProcessQuotaStore)
            {
                return HealthCheckResult.Healthy("Rate limits are kept in this process: there is no quota store to reach.");
            }

            var data = new Dictionary<string, object>(StringComparer.Ordinal) { ["store"] = store.Description };
            try
            {
                await store.ReserveAsync(Probe, new QuotaReservationRequest { MaxWait = TimeSpan.Zero }, cancellationToken).ConfigureAwait(false);
                return HealthCheckResult.Healthy($"The quota store ({store.Description}) answers.", data);
            }
            catch (QuotaStoreUnavailableException e)
            {
                return new HealthCheckResult(
                    context.Registration.FailureStatus,
                    $"The quota store ({store.Description}) cannot be used: {e.Message} Upstream calls that may wait keep trying it for OrderHub:RateLimits:OutageTolerance, then fail; the others fail at once.",
                    data: data);
            }
        }
    }

    internal sealed class SourceCredentialsHealthCheck(OrderLookup lookup) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var states = lookup.Sources.ToDictionary(
                s => s.Name,
                s => (object)(s is ICredentialStatus status ? status.CredentialState.ToString().ToLowerInvariant() : "unknown"),
                StringComparer.Ordinal);
            var rejected = states.Where(s => (string)s.Value == "rejected").Select(s => s.Key).ToArray();
            return Task.FromResult(rejected.Length == 0
                ? HealthCheckResult.Healthy("No source's credentials were refused.", states)
                : new HealthCheckResult(context.Registration.FailureStatus, $"The upstream refused the credentials of {string.Join(", ", rejected)}.", data: states));
        }
    }

    internal sealed class FollowerHealthCheck(IServiceProvider services) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            if (services.GetService<OrderFollower>() is not { } follower)
            {
                return HealthCheckResult.Healthy("No follower is registered.");
            }

            var maxLag = services.GetRequiredService<IOptions<OrderFollowerOptions>>().Value.MaxLag;
            var cursors = services.GetRequiredService<ISyncCursorStore>();
            var now = (services.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow();
            var data = new Dictionary<string, object>(StringComparer.Ordinal);
            var behind = new List<string>();
            foreach (var status in follower.Statuses)
            {
                // The cursor is in the store, so the lag is the copy's, whichever process follows it.
                var cursor = await cursors.GetCursorAsync(status.Source, status.Scope, cancellationToken).ConfigureAwait(false);
                var through = cursor?.CompletedThrough ?? cursor?.HighWaterMark;
                var lag = through is { } t ? now - t : (TimeSpan?)null;
                data[status.Source] = lag is { } l ? Math.Round(l.TotalSeconds) : "no cursor yet";
                if (status.State == OrderFollowerState.Restarting)
                {
                    behind.Add($"{status.Source} is restarting after {status.LastError}");
                }
                else if (lag > maxLag)
                {
                    behind.Add(string.Create(CultureInfo.InvariantCulture, $"{status.Source} is {lag.Value.TotalMinutes:0} min behind (at most {maxLag.TotalMinutes:0} allowed)"));
                }
                else if (lag is null && status.State != OrderFollowerState.Starting)
                {
                    behind.Add($"{status.Source} has no cursor yet");
                }
            }

            return behind.Count == 0
                ? HealthCheckResult.Healthy("Every followed copy is fresh.", data)
                : new HealthCheckResult(context.Registration.FailureStatus, string.Join("; ", behind) + ".", data: data);
        }
    }
}
