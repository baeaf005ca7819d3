using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrderHub.Emulator.Aws;

namespace OrderHub.Emulator.Outposts;

/// <summary>The Outposts order operations, as the emulator answers them: signed, validated, with AWS's error shapes.</summary>
internal static class OutpostsEndpoints
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
        string? signedBy = null;
        var keys = state.Sts.KeysFor(http.Request);
        if (SigV4Verifier.Verify(http.Request, body, id => keys(signedBy = id), [state.Options.AwsRegion], "outposts", TimeProvider.System.GetUtcNow()) is { } denied)
        {
            return Error(403, denied.Type, denied.Message);
        }

        state.Accepted(signedBy!);

        if (faults && await state.Faults.TryInjectAsync(http, (status, _, message) => Error(status, status == 429 ? "ThrottlingException" : "InternalServerException", message).ExecuteAsync(http)))
        {
            return Results.Empty;
        }

        return handle(body);
    }

    private static IResult GetOrder(OutpostsEmulatorState state, string orderId)
    {
        if (AwsServiceModel.Outposts.Validate("GetOrderInput", new JsonObject { ["OrderId"] = orderId }) is { } violation)
        {
            return Error(400, "ValidationException", violation);
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

        if (input is not JsonObject fields)
        {
            return Error(400, "SerializationException", "The request body is not a JSON object.");
        }

        if (AwsServiceModel.Outposts.Validate("CreateOrderInput", fields) is { } violation)
        {
            return Error(400, "ValidationException", violation);
        }

        var outpost = fields["OutpostIdentifier"]!.GetValue<string>();
        var quote = fields["QuoteIdentifier"]?.GetValue<string>();
        var quoteOption = fields["QuoteOptionIdentifier"]?.GetValue<string>();
        var paymentOption = fields["PaymentOption"]!.GetValue<string>();
        var paymentTerm = fields["PaymentTerm"]?.GetValue<string>();
        var lines = (fields["LineItems"] as JsonArray)?
            .Select(l => (l?["CatalogItemId"]?.GetValue<string>() ?? string.Empty, l?["Quantity"]?.GetValue<int>() ?? 0))
            .ToArray();

        // What the model cannot say: an order is made from line items, or from a quote with one of its options.
        if (lines is not { Length: > 0 } && (quote is null || quoteOption is null))
        {
            return Error(400, "ValidationException", "Either LineItems, or QuoteIdentifier with QuoteOptionIdentifier, must be given.");
        }

        var outpostId = outpost![(outpost!.LastIndexOf('/') + 1)..];
        if (!state.OutpostIds.Contains(outpostId))
        {
            return Error(404, "NotFoundException", $"Outpost {outpostId} not found.");
        }

        var order = state.Create(outpostId, lines ?? [], quote, quoteOption, paymentOption, paymentTerm);
        return Results.Json(new JsonObject { ["Order"] = ToJson(state, order) });
    }

    private static IResult ListOrders(OutpostsEmulatorState state, IQueryCollection query)
    {
        var filter = query["OutpostIdentifierFilter"].ToString();
        var token = query["NextToken"].ToString();
        var input = new JsonObject();
        if (query.ContainsKey("OutpostIdentifierFilter"))
        {
            input["OutpostIdentifierFilter"] = filter;
        }

        if (query.ContainsKey("NextToken"))
        {
            input["NextToken"] = token;
        }

        var pageSize = 50;
        if (query.ContainsKey("MaxResults"))
        {
            if (!int.TryParse(query["MaxResults"], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out pageSize))
            {
                return Error(400, "SerializationException", "MaxResults is not an integer.");
            }

            input["MaxResults"] = pageSize;
        }

        if (AwsServiceModel.Outposts.Validate("ListOrdersInput", input) is { } violation)
        {
            return Error(400, "ValidationException", violation);
        }

        var offset = 0;
        if (token.Length > 0 && !state.TryRedeemPageToken(token, filter, out offset))
        {
            return Error(400, "ValidationException", "Invalid NextToken: it was not issued by this service for this query.");
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
            result["NextToken"] = state.IssuePageToken(offset + page.Length, filter);
        }

        return Results.Json(result);
    }

    private static IResult CancelOrder(OutpostsEmulatorState state, string orderId)
    {
        if (AwsServiceModel.Outposts.Validate("CancelOrderInput", new JsonObject { ["OrderId"] = orderId }) is { } violation)
        {
            return Error(400, "ValidationException", violation);
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
            ["OrderSubmissionDate"] = EpochSeconds(order.SubmittedAt),
            ["OrderType"] = order.OrderType,
        };
        if (order.PaymentTerm is not null)
        {
            json["PaymentTerm"] = order.PaymentTerm;
        }

        if (state.FulfilledAt(order) is { } fulfilled)
        {
            json["OrderFulfilledDate"] = EpochSeconds(fulfilled);
        }

        if (order.QuoteIdentifier is not null)
        {
            json["QuoteIdentifier"] = order.QuoteIdentifier;
            json["QuoteOptionIdentifier"] = order.QuoteOptionIdentifier;
        }

        return json;
    }

    // AWS JSON protocols write timestamps as seconds since the epoch, fractional. The emulator writes them itself, as
    // AWS would, rather than with the client's reader.
    private static decimal EpochSeconds(DateTimeOffset instant) =>
        (instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (decimal)TimeSpan.TicksPerSecond;

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
            ["OrderSubmissionDate"] = EpochSeconds(order.SubmittedAt),
        };
        if (state.FulfilledAt(order) is { } fulfilled)
        {
            json["OrderFulfilledDate"] = EpochSeconds(fulfilled);
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
