using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using StackExchange.Redis;

namespace OrderHub.RateLimits;

/// <summary>
/// Buckets in Redis, shared by OrderHub processes on any number of machines. Each operation is one atomic Lua script
/// that reads the time from the Redis server (never from the clients, whose clocks differ), refills the bucket and
/// changes it; a waiter sleeps exactly the time the script returned.
/// </summary>
/// <remarks>
/// A bucket is a hash under <c>&lt;prefix&gt;&lt;partition&gt;</c> that expires a day after it would be full again,
/// so Redis holds only buckets in use. The store reconnects on its own; while Redis cannot be reached each call throws
/// <see cref="QuotaStoreUnavailableException"/>.
/// </remarks>
public sealed class RedisQuotaStore : IQuotaStore, IDisposable
{
    /// <summary>The prefix of bucket keys unless another is given: <c>orderhub:quota:</c>.</summary>
    public const string DefaultKeyPrefix = "orderhub:quota:";

    // The same rules as TokenBucketState (Stores/TokenBucketArithmetic.cs), on the server's clock, in one atomic step.
    // ARGV: operation (reserve | adopt | burst | drain | peek), rate, burst, refill delay (µs), permits, max wait (µs, -1: any),
    // start full (1 | 0), new rate or burst. Returns: granted, wait (µs), permits, rate, burst, last 429 (µs or ''), now (µs).
    private const string Script = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local op = ARGV[1]
        local h = redis.call('HMGET', KEYS[1], 'permits', 'updated', 'resumes', 'rate', 'burst', 'throttled')
        local permits = tonumber(h[1])
        local updated = tonumber(h[2])
        local resumes = tonumber(h[3]) or 0
        local rate = tonumber(h[4]) or tonumber(ARGV[2])
        local burst = tonumber(h[5]) or tonumber(ARGV[3])
        local throttled = h[6] or ''
        if permits == nil then
          if op == 'peek' then return false end
          if ARGV[7] == '1' then permits = burst else permits = 0 end
          updated = now
        end
        local from = math.max(updated, resumes)
        if now > from and permits < burst then
          permits = math.min(burst, permits + (now - from) * rate / 1000000)
        end
        updated = math.max(updated, now)
        local granted = 1
        local wait = 0
        if op == 'reserve' then
          local want = tonumber(ARGV[5])
          local deficit = want - permits
          if deficit > 1e-9 then
            wait = math.max(0, resumes - now) + math.ceil(deficit * 1000000 / rate)
          end
          local maxwait = tonumber(ARGV[6])
          if maxwait >= 0 and wait > maxwait then
            granted = 0
          else
            if permits >= burst and want > 0 then resumes = now + tonumber(ARGV[4]) end
            permits = permits - want
          end
        elseif op == 'adopt' then
          rate = tonumber(ARGV[8])
        elseif op == 'burst' then
          if burst >= tonumber(ARGV[3]) then burst = tonumber(ARGV[8]) else burst = math.max(burst, tonumber(ARGV[8])) end
          permits = math.min(permits, burst)
        elseif op == 'drain' then
          if permits > 0 then permits = 0 end
          throttled = string.format('%d', now)
        end
        if op ~= 'peek' then
          redis.call('HSET', KEYS[1], 'permits', string.format('%.17g', permits), 'updated', string.format('%d', updated),
            'resumes', string.format('%d', resumes), 'rate', string.format('%.17g', rate), 'burst', string.format('%d', burst), 'throttled', throttled)
          local full_in_ms = (math.max(0, resumes - now) / 1000) + ((burst - permits) / rate * 1000)
          redis.call('PEXPIRE', KEYS[1], math.ceil(full_in_ms) + 86400000)
        end
        return { granted, string.format('%d', wait), string.format('%.17g', permits), string.format('%.17g', rate), burst, throttled, string.format('%d', now) }
        """;

    private readonly IConnectionMultiplexer _connection;
    private readonly bool _ownsConnection;
    private readonly string _keyPrefix;

    // Set while the last connection attempt was refused for its credentials: the client's own errors then only say
    // that no connection is available (or time out), which would read as an outage and be waited for.
    private volatile bool _authenticationFailed;

    // Completes once the connection has either come up or failed for a known reason: a call that fails before then
    // (the password is refused a moment after the first connection error) waits for it, briefly (10 s at most), to say which.
    private static readonly TimeSpan FirstOutcomeWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(100);
    private readonly TaskCompletionSource _firstOutcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Initializes a new instance of the <see cref="RedisQuotaStore"/> class over a connection the caller owns.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="keyPrefix">The prefix of bucket keys; the default is <see cref="DefaultKeyPrefix"/>.</param>
    public RedisQuotaStore(IConnectionMultiplexer connection, string? keyPrefix = null)
        : this(connection, keyPrefix, ownsConnection: false)
    {
    }

    private RedisQuotaStore(IConnectionMultiplexer connection, string? keyPrefix, bool ownsConnection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
        _ownsConnection = ownsConnection;
        _keyPrefix = string.IsNullOrEmpty(keyPrefix) ? DefaultKeyPrefix : keyPrefix;
        Description = $"Redis at {string.Join(", ", connection.GetEndPoints().Select(e => e.ToString()))}";
        connection.ConnectionFailed += OnConnectionFailed;
        connection.ConnectionRestored += OnConnectionRestored;
        if (connection.IsConnected)
        {
            _firstOutcome.TrySetResult();
        }
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <summary>
    /// Connects to Redis with a StackExchange.Redis configuration string (for example <c>redis1:6379,redis2:6379</c>)
    /// and owns the connection. It returns at once even when Redis is down, and reconnects in the background.
    /// </summary>
    /// <param name="configuration">The configuration string; it may hold a password, which is never shown.</param>
    /// <param name="keyPrefix">The prefix of bucket keys; the default is <see cref="DefaultKeyPrefix"/>.</param>
    /// <returns>The store.</returns>
    /// <exception cref="ArgumentException">The configuration string cannot be read.</exception>
    public static RedisQuotaStore Connect(string configuration, string? keyPrefix = null) => Connect(configuration, keyPrefix, password: null);

    /// <summary>
    /// Connects to Redis with a StackExchange.Redis configuration string and a password given apart from it (so that
    /// it may hold a comma), and owns the connection. It returns at once even when Redis is down.
    /// </summary>
    /// <param name="configuration">The configuration string, such as <c>redis1:6379,ssl=true</c>.</param>
    /// <param name="keyPrefix">The prefix of bucket keys; <see langword="null"/> for <see cref="DefaultKeyPrefix"/>.</param>
    /// <param name="password">The password; <see langword="null"/> or empty for the one in the configuration string, if any. It is never shown.</param>
    /// <returns>The store.</returns>
    /// <exception cref="ArgumentException">The configuration string cannot be read.</exception>
    public static RedisQuotaStore Connect(string configuration, string? keyPrefix, string? password)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(configuration);
        }
        catch (ArgumentException)
        {
            // The string may hold a password: the message says where to look, not what was there.
            throw new ArgumentException(
                "The Redis configuration for rate limits (OrderHub:RateLimits:Redis, ORDERHUB_REDIS) is not a StackExchange.Redis configuration string, such as redis1:6379,password=...,ssl=true.",
                nameof(configuration));
        }

        if (options.EndPoints.Count == 0)
        {
            throw new ArgumentException("The Redis configuration for rate limits (OrderHub:RateLimits:Redis, ORDERHUB_REDIS) names no server, such as redis1:6379.", nameof(configuration));
        }

        if (!string.IsNullOrEmpty(password))
        {
            options.Password = password;
        }

        options.AbortOnConnectFail = false;

        // A reservation never waits in the client's backlog for a connection: it fails at once with the reason the
        // connection is down (a refused password among them), and the caller's outage policy decides how long to wait.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ClientName ??= "orderhub";
        return new RedisQuotaStore(ConnectionMultiplexer.Connect(options), keyPrefix, ownsConnection: true);
    }

    /// <inheritdoc />
    public async ValueTask<QuotaReservation> ReserveAsync(QuotaDefinition quota, QuotaReservationRequest request, CancellationToken cancellationToken = default)
    {
        TokenBucketState.Check(quota, request);
        var result = await RunAsync(quota, "reserve", request.Permits, TokenBucketState.MaxWaitMicros(request.MaxWait), request.StartFull, 0, cancellationToken).ConfigureAwait(false);
        return new QuotaReservation(result.Granted, TimeSpan.FromMicroseconds(result.WaitMicros), result.Bucket);
    }

    /// <inheritdoc />
    public async ValueTask<QuotaBucket> AdoptRateAsync(QuotaDefinition quota, double permitsPerSecond, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(quota);
        TokenBucketState.CheckRate(permitsPerSecond, nameof(permitsPerSecond));
        return (await RunAsync(quota, "adopt", 0, -1, true, permitsPerSecond, cancellationToken).ConfigureAwait(false)).Bucket;
    }

    /// <inheritdoc />
    public async ValueTask<QuotaBucket> AdoptBurstAsync(QuotaDefinition quota, int burst, CancellationToken cancellationToken = default)
    {
        TokenBucketState.CheckBurst(quota, burst);
        return (await RunAsync(quota, "burst", 0, -1, true, burst, cancellationToken).ConfigureAwait(false)).Bucket;
    }

    /// <inheritdoc />
    public async ValueTask<QuotaBucket> DrainAsync(QuotaDefinition quota, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(quota);
        return (await RunAsync(quota, "drain", 0, -1, true, 0, cancellationToken).ConfigureAwait(false)).Bucket;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<QuotaBucket> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            var primaries = _connection.GetServers().Where(s => s.IsConnected && !s.IsReplica).ToArray();
            if (primaries.Length == 0)
            {
                // The client's own error says why (a refused password, say), where the empty list only says none is connected.
                await _connection.GetDatabase().PingAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
                throw Unavailable("no primary is connected", null);
            }

            foreach (var server in primaries)
            {
                await foreach (var key in server.KeysAsync(pattern: _keyPrefix + "*", pageSize: 500).WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    keys.Add(key.ToString());
                }
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            throw await UnavailableAsync(e.GetType().Name, e, cancellationToken).ConfigureAwait(false);
        }

        foreach (var key in keys.Order(StringComparer.Ordinal))
        {
            var placeholder = new QuotaDefinition(key[_keyPrefix.Length..], 1, 1);
            var result = await RunAsync(placeholder, "peek", 0, -1, true, 0, cancellationToken).ConfigureAwait(false);
            if (result.Exists)
            {
                yield return result.Bucket;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _connection.ConnectionFailed -= OnConnectionFailed;
        _connection.ConnectionRestored -= OnConnectionRestored;
        if (_ownsConnection)
        {
            _connection.Dispose();
        }
    }

    private async Task<ScriptResult> RunAsync(QuotaDefinition quota, string operation, int permits, long maxWaitMicros, bool startFull, double newRate, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RedisResult result;
        try
        {
            result = await _connection.GetDatabase().ScriptEvaluateAsync(
                Script,
                [new RedisKey(_keyPrefix + quota.Partition)],
                [
                    operation,
                    quota.PermitsPerSecond.ToString("R", CultureInfo.InvariantCulture),
                    quota.Burst,
                    (long)quota.RefillDelayAfterBurst.TotalMicroseconds,
                    permits,
                    maxWaitMicros,
                    startFull ? 1 : 0,
                    newRate.ToString("R", CultureInfo.InvariantCulture),
                ]).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RedisException e)
        {
            throw await UnavailableAsync(e.GetType().Name, e, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw Unavailable(e.GetType().Name, e);
        }

        if (result.IsNull)
        {
            return new ScriptResult(false, false, 0, null!);
        }

        var values = (RedisResult[])result!;
        var throttled = (string?)values[5];
        var bucket = new QuotaBucket
        {
            Partition = quota.Partition,
            Permits = double.Parse((string)values[2]!, CultureInfo.InvariantCulture),
            PermitsPerSecond = double.Parse((string)values[3]!, CultureInfo.InvariantCulture),
            Burst = (int)values[4],
            LastThrottledAt = string.IsNullOrEmpty(throttled) ? null : TokenBucketState.FromMicros(long.Parse(throttled, CultureInfo.InvariantCulture)),
            ObservedAt = TokenBucketState.FromMicros(long.Parse((string)values[6]!, CultureInfo.InvariantCulture)),
        };
        return new ScriptResult(true, (int)values[0] == 1, long.Parse((string)values[1]!, CultureInfo.InvariantCulture), bucket);
    }

    private static bool IsAuthenticationFailure(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is RedisConnectionException { FailureType: ConnectionFailureType.AuthenticationFailure }
                || (e is RedisServerException && (e.Message.StartsWith("NOAUTH", StringComparison.Ordinal) || e.Message.StartsWith("WRONGPASS", StringComparison.Ordinal))))
            {
                return true;
            }
        }

        return false;
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.FailureType == ConnectionFailureType.AuthenticationFailure || IsAuthenticationFailure(e.Exception))
        {
            _authenticationFailed = true;
        }

        _firstOutcome.TrySetResult();
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        _authenticationFailed = false;
        _firstOutcome.TrySetResult();
    }

    // A connection error that came before the connection's first outcome waits for it, so that a refused password
    // is reported as such from the first call on.
    private async Task<QuotaStoreUnavailableException> UnavailableAsync(string reason, Exception e, CancellationToken cancellationToken)
    {
        if (e is RedisConnectionException && !_authenticationFailed && !IsAuthenticationFailure(e) && !_firstOutcome.Task.IsCompleted)
        {
            // The connection's first attempt may still be under way (a loaded machine), or its outcome may have come
            // before this store listened: ask again, briefly, until an answer or an error says which it is. The
            // client fails fast, so each probe returns at once with the connection's last error.
            var probing = Stopwatch.StartNew();
            while (!_authenticationFailed && !_firstOutcome.Task.IsCompleted && probing.Elapsed < FirstOutcomeWait)
            {
                try
                {
                    await _connection.GetDatabase().PingAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (Exception probe) when (IsAuthenticationFailure(probe))
                {
                    _authenticationFailed = true;
                }
                catch (RedisException)
                {
                    await Task.WhenAny(_firstOutcome.Task, Task.Delay(ProbeInterval, cancellationToken)).ConfigureAwait(false);
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }
        }

        return Unavailable(reason, e);
    }

    private QuotaStoreUnavailableException Unavailable(string reason, Exception? e)
    {
        if (IsAuthenticationFailure(e))
        {
            _authenticationFailed = true;
        }

        return _authenticationFailed
            ? new($"{Description} refused the credentials for rate limits (authentication failed). No request was sent on its behalf. "
                + "Check the password: OrderHub:RateLimits:RedisPassword (ORDERHUB_REDIS_PASSWORD), or the one in OrderHub:RateLimits:Redis (ORDERHUB_REDIS).", e, isTransient: false)
            : new($"{Description} cannot be used for rate limits ({reason}). No request was sent on its behalf. "
                + "Check that Redis is running and reachable, or change OrderHub:RateLimits:Redis (ORDERHUB_REDIS).", e);
    }

    private readonly record struct ScriptResult(bool Exists, bool Granted, long WaitMicros, QuotaBucket Bucket);
}
