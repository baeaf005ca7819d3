using System.Text.Json.Serialization;

namespace OrderHub.SellingPartner.Wire;

// Login with Amazon's token endpoint and the Tokens API, as sent on the wire (snake_case and camelCase respectively).

internal sealed record LwaTokenResponse(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("token_type")] string? TokenType,
    [property: JsonPropertyName("expires_in")] long? ExpiresIn,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken);

internal sealed record LwaErrorResponse(
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("error_description")] string? ErrorDescription);

internal sealed record CreateRestrictedDataTokenRequest(
    [property: JsonPropertyName("restrictedResources")] IReadOnlyList<RestrictedResource> RestrictedResources);

internal sealed record RestrictedResource(
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("dataElements")] IReadOnlyList<string>? DataElements);

internal sealed record CreateRestrictedDataTokenResponse(
    [property: JsonPropertyName("restrictedDataToken")] string? RestrictedDataToken,
    [property: JsonPropertyName("expiresIn")] long? ExpiresIn);
