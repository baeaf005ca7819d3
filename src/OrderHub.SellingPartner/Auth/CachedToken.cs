namespace OrderHub.SellingPartner.Auth;

/// <summary>A token and when to stop using it: ahead of its expiry, by a minute or a tenth of its life, whichever is less.</summary>
internal sealed class CachedToken
{
    private readonly DateTimeOffset _refreshAt;

    public CachedToken(string value, DateTimeOffset obtainedAt, TimeSpan lifetime)
    {
        Value = value;
        ExpiresAt = obtainedAt + lifetime;
        var margin = TimeSpan.FromTicks(Math.Min(SellingPartnerDefaults.TokenRefreshMargin.Ticks, lifetime.Ticks / 10));
        _refreshAt = ExpiresAt - margin;
    }

    public string Value { get; }

    public DateTimeOffset ExpiresAt { get; }

    public bool IsFresh(DateTimeOffset now) => now < _refreshAt;

    public override string ToString() => $"CachedToken {{ ExpiresAt = {ExpiresAt:O} }}";
}
