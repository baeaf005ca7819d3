using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrderHub.Outposts;

namespace OrderHub.Emulator.Outposts;

/// <summary>The Outposts order operations, as the emulator answers them: signed, validated, with AWS's error shapes.</summary>
public static class OutpostsEndpoints
{
    /// <summary>Maps GetOrder, CreateOrder, ListOrders and CancelOrder.</summary>
    /// <param name="app">The application.</param>
    /// <param name="state">The Outposts half's state.</param>
    public static void Map(IEndpointRouteBuilder app, OutpostsEmulatorState state)
    {
        app.MapGet("/orders/{orderId}", async (HttpContext http, string orderId) =>
        {
            var result = await Signed(http, state, _ => GetOrder(state, orderId), faults: true);
            return result;
        });
        app.MapPost("/orders", (Delegate)((HttpContext http) => Signed(http, state, body => CreateOrder(state, body))));
        app.MapGet("/list-orders", (Delegate)((HttpContext http) => Signed(http, state, _ => ListOrders(state, http.Request.Query))));
        app.MapPost("/orders/{orderId}/cancel", (HttpContext http, string orderId) => Signed(http, state, _ => CancelOrder(state, orderId)));
    }

    private static async Task<IResult> Signed(HttpContext http, OutpostsEmulatorState state, Func<byte[], IResult> handle, bool faults = false)
    {
        http.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        var body = buffer.ToArray();
        state.CountRequest();
        // Signatures are dated by the client's real clock: they are checked against real time, as AWS does, whatever
        // clock drives the emulated orders' progress.
        if (SigV4Verifier.Verify(http.Request, body, state.Options.AwsAccessKeyId, state.Options.AwsSecretAccessKey, state.Options.AwsRegion, TimeProvider.System.GetUtcNow()) is { } denied)
        {
            return Error(403, denied.Type, denied.Message);
        }

        if (faults && await state.Faults.TryInjectAsync(http, (status, _, message) => Error(status, status == 429 ? "ThrottlingException" : "InternalServerException", message).ExecuteAsync(http)))
        {
            return Results.Empty;
        }

        return handle(body);
    }

    private static IResult GetOrder(OutpostsEmulatorState state, string orderId)
    {
        if (OutpostsInputRules.OrderId.Check(orderId) is { } violation)
        {
            return Error(400, "ValidationException", violation.Message);
        }

        return state.TryGet(orderId, out var order)
            ? Results.Json(new JsonObject { ["Order"] = ToJson(state, order) })
            : Error(404, "NotFoundException", $"Order {orderId} not found.");
    }

    private static IResult CreateOrder(OutpostsEmulatorState state, byte[] body)
    {
        state.CountCreate();
        JsonNode? input;
        try
        {
            input = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return Error(400, "SerializationException", "The request body is not JSON.");
        }

        var outpost = input?["OutpostIdentifier"]?.GetValue<string>();
        var quote = input?["QuoteIdentifier"]?.GetValue<string>();
        var quoteOption = input?["QuoteOptionIdentifier"]?.GetValue<string>();
        var paymentOption = input?["PaymentOption"]?.GetValue<string>();
        var paymentTerm = input?["PaymentTerm"]?.GetValue<string>();
        var lines = (input?["LineItems"] as JsonArray)?
            .Select(l => (l?["CatalogItemId"]?.GetValue<string>() ?? string.Empty, l?["Quantity"]?.GetValue<int>() ?? 0))
            .ToArray();
        if (OutpostsInputRules.CheckCreateOrder(outpost, lines, quote, quoteOption) is { } violation)
        {
            return Error(400, "ValidationException", violation.Message);
        }

        if (paymentOption is not ("ALL_UPFRONT" or "NO_UPFRONT" or "PARTIAL_UPFRONT"))
        {
            return Error(400, "ValidationException", "PaymentOption must be ALL_UPFRONT, NO_UPFRONT or PARTIAL_UPFRONT.");
        }

        if (paymentTerm is not (null or "ONE_YEAR" or "THREE_YEARS" or "FIVE_YEARS"))
        {
            return Error(400, "ValidationException", "PaymentTerm must be ONE_YEAR, THREE_YEARS or FIVE_YEARS.");
        }

        var outpostId = outpost![(outpost!.LastIndexOf('/') + 1)..];
        if (!state.Outposts.Contains(outpostId))
        {
            return Error(404, "NotFoundException", $"Outpost {outpostId} not found.");
        }

        var order = state.Create(outpostId, lines ?? [], quote, quoteOption, paymentOption, paymentTerm);
        return Results.Json(new JsonObject { ["Order"] = ToJson(state, order) });
    }

    private static IResult ListOrders(OutpostsEmulatorState state, IQueryCollection query)
    {
        var filter = query["OutpostIdentifierFilter"].ToString();
        if (filter.Length > 0 && OutpostsInputRules.OutpostIdentifier.Check(filter) is { } badFilter)
        {
            return Error(400, "ValidationException", badFilter.Message);
        }

        var pageSize = 50;
        if (query.ContainsKey("MaxResults"))
        {
            if (!int.TryParse(query["MaxResults"], NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || OutpostsInputRules.CheckMaxResults(pageSize) is not null)
            {
                return Error(400, "ValidationException", "MaxResults must be from 1 to 1000.");
            }
        }

        var offset = 0;
        var token = query["NextToken"].ToString();
        if (token.Length > 0)
        {
            if (OutpostsInputRules.NextToken.Check(token) is { } badToken || !int.TryParse(token.AsSpan(0, token.IndexOf('#', StringComparison.Ordinal)), CultureInfo.InvariantCulture, out offset))
            {
                return Error(400, "ValidationException", "NextToken is not a token this service issued.");
            }
        }

        var outpostId = filter.Length > 0 ? filter[(filter.LastIndexOf('/') + 1)..] : null;
        var matching = state.List().Where(o => outpostId is null || o.OutpostId == outpostId).ToArray();
        var page = matching.Skip(offset).Take(pageSize).ToArray();
        var result = new JsonObject
        {
            ["Orders"] = new JsonArray([.. page.Select(o => (JsonNode)Summary(state, o))]),
        };
        if (offset + page.Length < matching.Length)
        {
            result["NextToken"] = string.Create(CultureInfo.InvariantCulture, $"{offset + page.Length}##{Convert.ToHexStringLower(BitConverter.GetBytes(matching.Length))}");
        }

        return Results.Json(result);
    }

    private static IResult CancelOrder(OutpostsEmulatorState state, string orderId)
    {
        if (OutpostsInputRules.OrderId.Check(orderId) is { } violation)
        {
            return Error(400, "ValidationException", violation.Message);
        }

        if (!state.TryGet(orderId, out var order))
        {
            return Error(404, "NotFoundException", $"Order {orderId} not found.");
        }

        var status = state.StatusOf(order);
        if (status is not ("PREPARING" or "RECEIVED" or "PENDING" or "IN_PROGRESS" or "PROCESSING"))
        {
            return Error(409, "ConflictException", $"Order {orderId} is {status} and can no longer be cancelled.", orderId, "ORDER");
        }

        order.FixedStatus = "CANCELLED";
        return Results.Json(new JsonObject());
    }

    private static JsonObject ToJson(OutpostsEmulatorState state, EmulatedOrder order)
    {
        var status = state.StatusOf(order);
        var json = new JsonObject
        {
            ["OutpostId"] = order.OutpostId,
            ["OrderId"] = order.OrderId,
            ["Status"] = status,
            ["LineItems"] = new JsonArray([.. order.Lines.Select(l => (JsonNode)Line(l, status))]),
            ["PaymentOption"] = order.PaymentOption,
            ["OrderSubmissionDate"] = ProviderTimestamp.ToEpochSeconds(order.SubmittedAt),
            ["OrderType"] = order.OrderType,
        };
        if (order.PaymentTerm is not null)
        {
            json["PaymentTerm"] = order.PaymentTerm;
        }

        if (state.FulfilledAt(order) is { } fulfilled)
        {
            json["OrderFulfilledDate"] = ProviderTimestamp.ToEpochSeconds(fulfilled);
        }

        if (order.QuoteIdentifier is not null)
        {
            json["QuoteIdentifier"] = order.QuoteIdentifier;
            json["QuoteOptionIdentifier"] = order.QuoteOptionIdentifier;
        }

        return json;
    }

    private static JsonObject Line(EmulatedLine line, string orderStatus)
    {
        var json = new JsonObject
        {
            ["CatalogItemId"] = line.CatalogItemId,
            ["LineItemId"] = line.LineItemId,
            ["Quantity"] = line.Quantity,
            ["Status"] = line.FixedStatus ?? orderStatus switch
            {
                "IN_PROGRESS" => "BUILDING",
                "COMPLETED" => "INSTALLED",
                _ => orderStatus,
            },
        };
        if (line.Carrier is not null)
        {
            json["ShipmentInformation"] = new JsonObject { ["ShipmentTrackingNumber"] = line.TrackingNumber, ["ShipmentCarrier"] = line.Carrier };
        }

        if (line.AssetId is not null)
        {
            json["AssetInformationList"] = new JsonArray(new JsonObject { ["AssetId"] = line.AssetId, ["MacAddressList"] = new JsonArray([.. line.MacAddresses.Select(m => (JsonNode)m)]) });
        }

        if (line.PreviousOrderId is not null)
        {
            json["PreviousOrderId"] = line.PreviousOrderId;
            json["PreviousLineItemId"] = line.PreviousLineItemId;
        }

        return json;
    }

    private static JsonObject Summary(OutpostsEmulatorState state, EmulatedOrder order)
    {
        var status = state.StatusOf(order);
        var counts = new JsonObject();
        foreach (var group in order.Lines.Select(l => Line(l, status)["Status"]!.GetValue<string>()).GroupBy(s => s))
        {
            counts[group.Key] = group.Count();
        }

        var json = new JsonObject
        {
            ["OutpostId"] = order.OutpostId,
            ["OrderId"] = order.OrderId,
            ["OrderType"] = order.OrderType,
            ["Status"] = status,
            ["LineItemCountsByStatus"] = counts,
            ["OrderSubmissionDate"] = ProviderTimestamp.ToEpochSeconds(order.SubmittedAt),
        };
        if (state.FulfilledAt(order) is { } fulfilled)
        {
            json["OrderFulfilledDate"] = ProviderTimestamp.ToEpochSeconds(fulfilled);
        }

        return json;
    }

    private static IResult Error(int status, string type, string message, string? resourceId = null, string? resourceType = null)
    {
        var body = new JsonObject { ["message"] = message };
        if (resourceId is not null)
        {
            body["ResourceId"] = resourceId;
            body["ResourceType"] = resourceType;
        }

        return new AwsErrorResult(status, type, body);
    }

    /// <summary>An AWS rest-json error: the type in <c>x-amzn-ErrorType</c>, the message in the body.</summary>
    private sealed class AwsErrorResult(int status, string type, JsonObject body) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.Headers["x-amzn-ErrorType"] = $"{type}:http://internal.amazon.com/coral/com.amazonaws.outposts/";
            httpContext.Response.ContentType = "application/json";
            return httpContext.Response.WriteAsync(body.ToJsonString(), httpContext.RequestAborted);
        }
    }
}
