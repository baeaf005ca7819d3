using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.OpenApi;
using OrderHub.Api.Problems;
using OrderHub.Api.Query;
using OrderHub.Events;
using OrderHub.Sync;

namespace OrderHub.Api;

/// <summary>The store's change log: <c>GET /changes</c>, a page of CloudEvents after a position, long-polled.</summary>
public static partial class OrderApi
{
    private const string After = "after";
    private const string ChangesLimit = "limit";
    private const string Wait = "wait";

    /// <summary>The most a request may wait for a change.</summary>
    private static readonly TimeSpan MaxChangesWait = TimeSpan.FromSeconds(30);

    private static readonly QueryParameter[] ChangesParameters =
    [
        new(After, "The last position read (the id of the last event received); the answer starts after it. Absent: from the oldest change the store keeps.", new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Minimum = "0" }),
        new(ChangesLimit, string.Create(CultureInfo.InvariantCulture, $"How many events a page holds at most, from 1 to {IOrderChangeLog.MaxReadLimit} (default 100)."), new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = IOrderChangeLog.MaxReadLimit.ToString(CultureInfo.InvariantCulture), Default = 100 }),
        new(Wait, "When no change follows the position yet, how many seconds to wait for one, from 0 to 30 (default 0: answer at once).", new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "0", Maximum = "30", Default = 0 }),
    ];

    private static void MapChanges(IEndpointRouteBuilder app) =>
        app.MapGet("/changes", (Func<HttpContext, Task<IResult>>)ChangesAsync)
            .WithName("ReadChanges")
            .WithSummary("Reads the store's changes after a position, as CloudEvents, waiting for one when asked.")
            .WithDescription(
                "Answers a JSON batch of CloudEvents 1.0 (application/cloudevents-batch+json), oldest first: one event per order stored for the first time "
                + "(type orderhub.order.created) or stored again with other content (orderhub.order.updated), in commit order. An event's id is its position: "
                + "read on with after=<the last id>, as the Link header (rel=\"next\") does; the OrderHub-Last-Position header says the same, for an empty page too. "
                + "source is the OrderHub source, subject the order id, time when the change was stored, the extensions orderstatus and orderstatusbefore the unified "
                + "status after and before, and data the order's public JSON as it is now (a later change of the same order shows the same content). "
                + "A position older than what the store keeps (changes are pruned after a retention, 7 days by default) is answered 410: start again from GET /orders."
                + PersonalDataNote)
            .Produces(StatusCodes.Status200OK, contentType: OrderChangeEvents.BatchMediaType)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status410Gone).ProducesProblem(StatusCodes.Status501NotImplemented)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithMetadata(new RequiresApiKeyMetadata(), new QueryParametersMetadata(ChangesParameters));

    private static async Task<IResult> ChangesAsync(HttpContext http)
    {
        NameTheRouteInTheSpan(http);
        if (Authenticate(http, out _, out _) is { } refused)
        {
            return refused;
        }

        if (http.RequestServices.GetService<IOrderChangeLog>() is not { } log)
        {
            return OrderProblems.ChangesNotSupported();
        }

        long? after;
        int limit;
        TimeSpan wait;
        try
        {
            (after, limit, wait) = ReadChangesQuery(http.Request.Query);
        }
        catch (QueryParameterException e)
        {
            return OrderProblems.InvalidParameter(e.Parameter, e.Message);
        }

        // A long poll ends with the host too: a stopping server answers what it has rather than hold the request.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, http.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
        try
        {
            var page = await log.ReadAsync(after, limit, stop.Token);
            if (page.Changes.Count == 0 && wait > TimeSpan.Zero && await WaitForChangeAsync(log, page.LastPosition, wait, stop.Token))
            {
                page = await log.ReadAsync(page.LastPosition, limit, stop.Token);
            }

            var last = page.LastPosition.ToString(CultureInfo.InvariantCulture);
            http.Response.Headers["OrderHub-Last-Position"] = last;
            http.Response.Headers.Link = string.Create(CultureInfo.InvariantCulture, $"<{(http.Request.PathBase + http.Request.Path).ToUriComponent()}?{After}={last}&{ChangesLimit}={limit}>; rel=\"next\"");
            return Results.Bytes(OrderChangeEvents.EncodeBatch(page.Changes.Select(OrderChangeEvents.ToCloudEvent)).ToArray(), OrderChangeEvents.BatchMediaType);
        }
        catch (OrderChangePositionExpiredException e)
        {
            return OrderProblems.ChangePositionExpired(e);
        }
        catch (OrderStoreException e)
        {
            LogStoreFailed(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OrderApi)), e.Message);
            return OrderProblems.StoreUnavailable();
        }
    }

    private static async Task<bool> WaitForChangeAsync(IOrderChangeLog log, long after, TimeSpan wait, CancellationToken cancellationToken)
    {
        try
        {
            return await log.WaitAsync(after, wait, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The server is stopping (or the client left): an empty page, and the client asks again.
            return false;
        }
    }

    private static (long? After, int Limit, TimeSpan Wait) ReadChangesQuery(IQueryCollection query)
    {
        OrderQueryParameters.RefuseUnknown(query, ChangesParameters);
        long? after = null;
        if (OrderQueryParameters.Single(query, After) is { } afterText)
        {
            after = long.TryParse(afterText, NumberStyles.None, CultureInfo.InvariantCulture, out var position)
                ? position
                : throw new QueryParameterException(After, $"The query parameter 'after' must be a position: a whole number, 0 or more (the id of the last event received); '{afterText}' was given.");
        }

        var limit = OrderQueryParameters.ReadLimit(query, 100, IOrderChangeLog.MaxReadLimit);

        var wait = TimeSpan.Zero;
        if (OrderQueryParameters.Single(query, Wait) is { } waitText)
        {
            wait = int.TryParse(waitText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= MaxChangesWait.TotalSeconds
                ? TimeSpan.FromSeconds(seconds)
                : throw new QueryParameterException(Wait, string.Create(CultureInfo.InvariantCulture, $"The query parameter 'wait' must be a whole number of seconds from 0 to {MaxChangesWait.TotalSeconds}."));
        }

        return (after, limit, wait);
    }
}
