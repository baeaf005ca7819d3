using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace OrderHub.Emulator.SellingPartner;

/// <summary>The Selling Partner API and Login with Amazon, as the emulator answers them.</summary>
internal static class SpEndpoints
{
    private static readonly Lazy<JsonObject> SandboxCases = new(() => Resource("orders-v0-sandbox.json"));
    private static readonly string[] GrantlessScopes = ["sellingpartnerapi::notifications", "sellingpartnerapi::client_credential:rotation"];
    private static readonly Lazy<JsonObject> Sandbox20260101Cases = new(() => Resource("orders-2026-01-01-sandbox.json"));

    /// <summary>Maps the LWA token endpoint, getOrder v0 and 2026-01-01, the Tokens API, the order searches, the Reports API and the Notifications API.</summary>
    /// <param name="app">The application.</param>
    /// <param name="state">The emulator's Selling Partner state.</param>
    public static void Map(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder app, SpEmulatorState state)
    {
        app.MapPost("/auth/o2/token", (Delegate)((HttpContext http) => IssueAccessTokenAsync(http, state)));
        app.MapGet("/orders/v0/orders/{orderId}", (HttpContext http, string orderId) => GetOrderAsync(http, state, orderId));
        app.MapGet("/orders/2026-01-01/orders/{orderId}", (HttpContext http, string orderId) => GetOrder20260101Async(http, state, orderId));
        app.MapPost("/tokens/2021-03-01/restrictedDataToken", (Delegate)((HttpContext http) => CreateRestrictedDataTokenAsync(http, state)));
        SpOrderSearchEndpoints.Map(app, state);
        Reports.SpReportEndpoints.Map(app, state);
        Notifications.SpNotificationEndpoints.Map(app, state);
    }

    private static async Task<IResult> IssueAccessTokenAsync(HttpContext http, SpEmulatorState state)
    {
        state.CountTokenRequest();
        if (!http.Request.HasFormContentType)
        {
            return LwaError(400, "invalid_request", "The request body must be application/x-www-form-urlencoded.");
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        if (form["grant_type"] != "refresh_token" && form["grant_type"] != "client_credentials")
        {
            return LwaError(400, "unsupported_grant_type", "Only the refresh_token and client_credentials grants are supported.");
        }

        if (form["client_id"] != state.Options.ClientId || form["client_secret"] != state.Options.ClientSecret)
        {
            return LwaError(401, "invalid_client", "Client authentication failed");
        }

        if (form["grant_type"] == "client_credentials")
        {
            // A grantless token: the application's own, for one scope, acting for no seller.
            var scope = form["scope"].ToString();
            if (!GrantlessScopes.Contains(scope, StringComparer.Ordinal))
            {
                return LwaError(400, "invalid_scope", "An unknown scope was requested");
            }

            var grantless = state.Issue(string.Empty, state.Options.AccessTokenLifetime, restricted: false, "Atc|", scope);
            return Results.Json(new JsonObject
            {
                ["access_token"] = grantless.Value,
                ["scope"] = scope,
                ["token_type"] = "bearer",
                ["expires_in"] = (long)state.Options.AccessTokenLifetime.TotalSeconds,
            });
        }

        var refreshToken = form["refresh_token"].ToString();
        if (!state.Options.RefreshTokens.Contains(refreshToken))
        {
            return LwaError(400, "invalid_grant", "The request has an invalid grant parameter : refresh_token");
        }

        var token = state.Issue(refreshToken, state.Options.AccessTokenLifetime, restricted: false, "Atza|");
        return Results.Json(new JsonObject
        {
            ["access_token"] = token.Value,
            ["refresh_token"] = refreshToken,
            ["token_type"] = "bearer",
            ["expires_in"] = (long)state.Options.AccessTokenLifetime.TotalSeconds,
        });
    }

    private static async Task<IResult> GetOrderAsync(HttpContext http, SpEmulatorState state, string orderId)
    {
        if (await AdmitGetOrderAsync(http, state) is { } refused)
        {
            return refused;
        }

        if (SandboxCases.Value[orderId] is JsonObject sandbox)
        {
            return Results.Json(sandbox["body"]!.DeepClone(), statusCode: sandbox["status"]!.GetValue<int>());
        }

        var token = (IssuedToken)http.Items[nameof(IssuedToken)]!;
        if (!state.Catalog.TryGet(orderId, out var record) || !state.Owns(token.Seller, orderId))
        {
            return OrderNotFound(orderId);
        }

        return Results.Bytes(record.GetOrderV0Body(token.Restricted), "application/json; charset=utf-8");
    }

    // The same orders as v0, in the 2026-01-01 shape. Personal data comes with the BUYER and RECIPIENT datasets
    // (the real API grants them by the application's roles, not by a restricted data token).
    private static async Task<IResult> GetOrder20260101Async(HttpContext http, SpEmulatorState state, string orderId)
    {
        if (await AdmitGetOrderAsync(http, state) is { } refused)
        {
            return refused;
        }

        var requested = http.Request.Query["includedData"]
            .SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToHashSet(StringComparer.Ordinal);
        if (requested.FirstOrDefault(d => !Orders20260101View.Datasets.Contains(d)) is { } unknown)
        {
            return Errors(400, "InvalidInput", "Invalid input.", $"includedData has an unknown dataset '{unknown}'.");
        }

        if (Sandbox20260101Cases.Value[orderId] is JsonObject sandbox)
        {
            return Results.Json(sandbox["body"]!.DeepClone(), statusCode: sandbox["status"]!.GetValue<int>());
        }

        if (!state.Catalog.TryGet(orderId, out var record) || !state.Owns(((IssuedToken)http.Items[nameof(IssuedToken)]!).Seller, orderId))
        {
            return OrderNotFound(orderId);
        }

        return Results.Json(new JsonObject { ["order"] = Orders20260101View.Build(record, Orders20260101View.Granted(requested, state.Options.SpRestrictedRoleGranted)) });
    }

    // What every getOrder passes first, in order: authentication, the seller's quota, the rate-limit header, faults.
    private static async Task<IResult?> AdmitGetOrderAsync(HttpContext http, SpEmulatorState state)
    {
        state.CountGetOrder();
        state.ApplyChanges();
        AddRequestId(http);
        if (Authenticate(http, state) is { } denied)
        {
            return denied;
        }

        var token = (IssuedToken)http.Items[nameof(IssuedToken)]!;
        var quota = state.QuotaFor(token.Seller, http.Request.Path.StartsWithSegments("/orders/v0", StringComparison.Ordinal) ? "getOrder" : "getOrder@2026-01-01", state.Options.SpGetOrderRate, state.Options.SpGetOrderBurst);
        if (!quota.TryAdmit(out _))
        {
            state.CountThrottled();
            return Errors(429, "QuotaExceeded", "You exceeded your quota for the requested resource.");
        }

        state.RecordAdmitted();

        if (state.Options.SendRateLimitHeader)
        {
            http.Response.Headers["x-amzn-RateLimit-Limit"] = state.Options.SpGetOrderRate.ToString(CultureInfo.InvariantCulture);
        }

        if (await state.Faults.TryInjectAsync(http, (status, code, message) => Errors(status, code, message).ExecuteAsync(http)))
        {
            return Results.Empty;
        }

        return null;
    }

    private static IResult OrderNotFound(string orderId) => Errors(404, "NotFound", "Order not found.", $"The order {orderId} does not exist.");

    private static async Task<IResult> CreateRestrictedDataTokenAsync(HttpContext http, SpEmulatorState state)
    {
        state.CountRestrictedDataTokenRequest();
        AddRequestId(http);
        if (Authenticate(http, state) is { } denied)
        {
            return denied;
        }

        var token = (IssuedToken)http.Items[nameof(IssuedToken)]!;
        if (token.Restricted)
        {
            return Errors(400, "InvalidInput", "A restricted data token cannot create another.");
        }

        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
        }
        catch (System.Text.Json.JsonException)
        {
            return Errors(400, "InvalidInput", "The request body is not JSON.");
        }

        if (body?["restrictedResources"] is not JsonArray { Count: > 0 } resources
            || resources.Any(r => r?["method"] is null || r["path"] is null))
        {
            return Errors(400, "InvalidInput", "restrictedResources needs at least one resource with a method and a path.");
        }

        if (!state.Options.SpRestrictedRoleGranted)
        {
            return Errors(403, "Unauthorized", "Access to requested resource is denied.", "The application does not have access to one or more requested data elements.");
        }

        var rdt = state.Issue(token.Seller, state.Options.RestrictedDataTokenLifetime, restricted: true, "Atz.sprdt|");
        return Results.Json(new JsonObject { ["restrictedDataToken"] = rdt.Value, ["expiresIn"] = (long)state.Options.RestrictedDataTokenLifetime.TotalSeconds });
    }

    /// <summary>Accepts a seller's access token (or restricted data token) and keeps it in the request's items; refuses any other.</summary>
    internal static IResult? Authenticate(HttpContext http, SpEmulatorState state) => Authenticate(http, state, grantlessScope: null);

    /// <summary>
    /// Accepts an access token, and keeps it in the request's items: a seller's when <paramref name="grantlessScope"/>
    /// is <see langword="null"/>, else the application's grantless token for that scope; refuses any other.
    /// </summary>
    internal static IResult? Authenticate(HttpContext http, SpEmulatorState state, string? grantlessScope)
    {
        var presented = http.Request.Headers["x-amz-access-token"].ToString();
        if (string.IsNullOrEmpty(presented) || !state.TryResolve(presented, out var token))
        {
            return Errors(403, "Unauthorized", "Access to requested resource is denied.", "The access token you provided is invalid.");
        }

        if (token.ExpiresAt <= state.TimeProvider.GetUtcNow())
        {
            return Errors(403, "Unauthorized", "Access to requested resource is denied.", "The access token you provided has expired.");
        }

        if (token.Scope != grantlessScope)
        {
            return Errors(403, "Unauthorized", "Access to requested resource is denied.", grantlessScope is null
                ? "A grantless token acts for no selling partner: this operation needs a seller's access token."
                : $"This is a grantless operation: it needs the application's token for the scope {grantlessScope}, not a seller's.");
        }

        http.Items[nameof(IssuedToken)] = token;
        return null;
    }

    internal static void AddRequestId(HttpContext http) => http.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();

    internal static IResult Errors(int status, string code, string message, string? details = null)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (details is not null)
        {
            error["details"] = details;
        }

        return Results.Json(new JsonObject { ["errors"] = new JsonArray(error) }, statusCode: status);
    }

    private static JsonObject Resource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)!;
        return JsonNode.Parse(stream)!.AsObject();
    }

    private static IResult LwaError(int status, string error, string description) =>
        Results.Json(new JsonObject { ["error"] = error, ["error_description"] = description }, statusCode: status);
}
