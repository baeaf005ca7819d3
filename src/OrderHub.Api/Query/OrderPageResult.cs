using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OrderHub.Sync;

namespace OrderHub.Api.Query;

/// <summary>
/// A page as <c>{"orders": [...], "nextCursor": ...}</c>, each order's stored public JSON written as the store keeps it
/// (never read and serialized again), and the <c>Link</c> header of the next page.
/// </summary>
internal sealed class OrderPageResult(OrderPage page, string? nextLink) : IResult
{
    // Flushed to the client in pieces, so that a page of 1,000 orders is not held whole in the response's buffer.
    private const int FlushThreshold = 32 * 1024;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        if (nextLink is not null)
        {
            response.Headers.Link = $"<{nextLink}>; rel=\"next\"";
        }

        var body = response.BodyWriter;
        await using var writer = new Utf8JsonWriter(body);
        writer.WriteStartObject();
        writer.WriteStartArray("orders");
        foreach (var item in page.Items)
        {
            // The store wrote this JSON itself: checking it again would cost a parse of every order.
            writer.WriteRawValue(item.PublicJson, skipInputValidation: true);
            if (writer.BytesPending >= FlushThreshold)
            {
                await writer.FlushAsync(httpContext.RequestAborted);
                await body.FlushAsync(httpContext.RequestAborted);
            }
        }

        writer.WriteEndArray();
        writer.WriteString("nextCursor", page.NextCursor);
        writer.WriteEndObject();
        await writer.FlushAsync(httpContext.RequestAborted);
        await body.FlushAsync(httpContext.RequestAborted);
    }
}

/// <summary>What <c>GET /orders</c> answers, for the OpenAPI document (the page itself is written by <see cref="OrderPageResult"/>).</summary>
/// <param name="Orders">The page's orders, in the query's order: the unified JSON without personal data and without the raw payload.</param>
/// <param name="NextCursor">The cursor of the next page (pass it as <c>cursor</c> with the same filters and sort); <see langword="null"/> on the last page.</param>
internal sealed record OrderListResponse(IReadOnlyList<Order> Orders, string? NextCursor);

/// <summary>What <c>GET /orders/summary</c> answers, for the OpenAPI document.</summary>
/// <param name="Groups">One entry per group that has orders, sorted by source, account, status and period (a missing value first); without <c>groupBy</c>, one entry, even when nothing is stored.</param>
internal sealed record OrderSummaryResponse(IReadOnlyList<OrderSummaryGroup> Groups);

/// <summary>One group of a summary: only the members grouped by are written, <see langword="null"/> where the group's orders have no value.</summary>
/// <param name="Source">The source, when grouped by source.</param>
/// <param name="Account">The account (marketplace or Outpost id), when grouped by account.</param>
/// <param name="Status">The unified status, when grouped by status.</param>
/// <param name="CreatedDay">The UTC day of creation (yyyy-MM-dd), when grouped by createdDay.</param>
/// <param name="CreatedMonth">The UTC month of creation (yyyy-MM), when grouped by createdMonth.</param>
/// <param name="Count">How many orders are in the group.</param>
/// <param name="Totals">The sum of the group's order totals, one per currency (an amount without a currency first); orders without a total add to the count only.</param>
internal sealed record OrderSummaryGroup(string? Source, string? Account, OrderStatus? Status, string? CreatedDay, string? CreatedMonth, long Count, IReadOnlyList<Money> Totals);
