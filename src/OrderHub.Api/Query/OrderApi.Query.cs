using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderHub.Api.Problems;
using OrderHub.Api.Query;
using OrderHub.Json;
using OrderHub.Sync;

namespace OrderHub.Api;

/// <summary>The query of the stored copy: <c>GET /orders</c> and <c>GET /orders/summary</c>.</summary>
public static partial class OrderApi
{
    private const string PersonalDataNote =
        " Every key gets the same answer, keys allowed personal data included: the store keeps no personal data (no address, no buyer or tax details) and no raw payload.";

    private static void MapOrderQuery(IEndpointRouteBuilder app)
    {
        // A literal segment outranks a parameter in ASP.NET Core's routing: /orders/summary is never read as an order id.
        DescribeQuery(app.MapGet("/orders", (Func<HttpContext, Task<IResult>>)ListAsync)
            .WithName("ListOrders")
            .WithSummary("Lists the stored orders of every source: filtered, sorted, a page at a time.")
            .WithDescription(
                "Answers a page of stored orders ({\"orders\": [...], \"nextCursor\": \"...\"}), each order the unified JSON the store keeps, "
                + "and, when more follow, a Link header (rel=\"next\") to the next page: the same filters, sort and limit, with the cursor. "
                + "A list parameter is given once, its values separated by commas (status=Pending,InProgress); a parameter repeated or unknown is refused. "
                + "Reading on from page to page while a sync writes: sorted by creation, no order is skipped or repeated; sorted by last update, every order not updated meanwhile is seen exactly once."
                + PersonalDataNote)
            .Produces<OrderListResponse>(StatusCodes.Status200OK, "application/json")
            .WithMetadata(new QueryParametersMetadata(OrderQueryParameters.PageParameters)));
        DescribeQuery(app.MapGet("/orders/summary", (Func<HttpContext, Task<IResult>>)SummarizeAsync)
            .WithName("SummarizeOrders")
            .WithSummary("Counts the stored orders and totals their money per currency, by group.")
            .WithDescription(
                "Answers {\"groups\": [...]}: for each group that has orders, the members grouped by, the count, and the totals per currency "
                + "(money is never added across currencies; amounts are decimal strings). The filters are those of GET /orders."
                + PersonalDataNote)
            .Produces<OrderSummaryResponse>(StatusCodes.Status200OK, "application/json")
            .WithMetadata(new QueryParametersMetadata(OrderQueryParameters.SummaryParameters)));
    }

    private static void DescribeQuery(RouteHandlerBuilder endpoint) => endpoint
        .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status500InternalServerError).ProducesProblem(StatusCodes.Status501NotImplemented)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
        .WithMetadata(new RequiresApiKeyMetadata());

    private static Task<IResult> ListAsync(HttpContext http) => QueryAsync(http, async query =>
    {
        var page = await query.QueryAsync(OrderQueryParameters.ReadPage(http.Request.Query), http.RequestAborted);
        return new OrderPageResult(page, page.NextCursor is { } cursor ? NextPage(http.Request, cursor) : null);
    });

    private static Task<IResult> SummarizeAsync(HttpContext http) => QueryAsync(http, async query =>
    {
        var (filter, groupBy) = OrderQueryParameters.ReadSummary(http.Request.Query);
        var groups = await query.SummarizeAsync(filter, groupBy, http.RequestAborted);
        return Results.Bytes(WriteSummary(groups, groupBy), "application/json");
    });

    private static async Task<IResult> QueryAsync(HttpContext http, Func<IOrderQuery, Task<IResult>> answer)
    {
        NameTheRouteInTheSpan(http);
        if (Authenticate(http, out _, out _) is { } refused)
        {
            return refused;
        }

        if (http.RequestServices.GetService<IOrderQuery>() is not { } query)
        {
            return OrderProblems.QueryNotSupported();
        }

        try
        {
            return await answer(query);
        }
        catch (QueryParameterException e)
        {
            return OrderProblems.InvalidParameter(e.Parameter, e.Message);
        }
        catch (InvalidOrderRequestException e)
        {
            // What the library refuses after the API's own checks (a cursor, a window, too many values), under the query's name.
            return OrderProblems.InvalidParameter(OrderQueryParameters.QueryName(e.ParameterName), e.Message);
        }
        catch (OrderStoreException e)
        {
            LogStoreFailed(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OrderApi)), e.Message);
            return OrderProblems.StoreUnavailable();
        }
    }

    // Relative to the request (RFC 8288 resolves it against the request's URL), so that no Host header the client sent
    // is echoed back: the parameters as given, but the cursor.
    private static string NextPage(HttpRequest request, string cursor)
    {
        var query = new QueryBuilder(request.Query.Where(p => !string.Equals(p.Key, OrderQueryParameters.Cursor, StringComparison.OrdinalIgnoreCase)))
        {
            { OrderQueryParameters.Cursor, cursor },
        };
        return (request.PathBase + request.Path).ToUriComponent() + query.ToQueryString().ToUriComponent();
    }

    private static byte[] WriteSummary(IReadOnlyList<OrderGroupSummary> groups, OrderGrouping groupBy)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("groups");
            foreach (var group in groups)
            {
                writer.WriteStartObject();

                // The members grouped by, each written even where the group's orders have no value (null).
                if (groupBy.HasFlag(OrderGrouping.Source))
                {
                    writer.WriteString("source", group.Source);
                }

                if (groupBy.HasFlag(OrderGrouping.Account))
                {
                    writer.WriteString("account", group.AccountId);
                }

                if (groupBy.HasFlag(OrderGrouping.Status))
                {
                    writer.WriteString("status", group.Status?.ToString());
                }

                if (groupBy.HasFlag(OrderGrouping.CreatedDay))
                {
                    writer.WriteString("createdDay", group.CreatedOn?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
                }

                if (groupBy.HasFlag(OrderGrouping.CreatedMonth))
                {
                    writer.WriteString("createdMonth", group.CreatedOn?.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture));
                }

                writer.WriteNumber("count", group.Count);
                writer.WriteStartArray("totals");
                foreach (var total in group.Totals)
                {
                    // As the unified JSON writes money: the amount as a decimal string, and its currency.
                    JsonSerializer.Serialize(writer, total, OrderJson.Options);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
