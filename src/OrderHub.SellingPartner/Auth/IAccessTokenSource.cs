namespace OrderHub.SellingPartner.Auth;

/// <summary>Where the token sent in <c>x-amz-access-token</c> comes from: Login with Amazon, or a restricted data token.</summary>
internal interface IAccessTokenSource
{
    /// <summary>Gets a token that is valid now, refreshing it if it is about to expire.</summary>
    ValueTask<string> GetTokenAsync(CancellationToken cancellationToken);

    /// <summary>Forgets <paramref name="rejectedToken"/> (the API said it is invalid or expired) so the next call fetches a new one.</summary>
    void Invalidate(string rejectedToken);
}
