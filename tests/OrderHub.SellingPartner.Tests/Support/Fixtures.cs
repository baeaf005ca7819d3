using System.Text;
using OrderHub.SellingPartner.Http;

namespace OrderHub.SellingPartner.Tests.Support;

internal static class Fixtures
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    public static Order ReadOrder(string body, string orderId, string requestId = "req-1") =>
        SellingPartnerOrderSource.ReadOrder(
            new SellingPartnerResponse(System.Net.HttpStatusCode.OK, Encoding.UTF8.GetBytes(body), requestId, null),
            new OrderErrorContext("sp-api", orderId),
            "sp-api");

    public static Order ReadOrder20260101(string body, string orderId, string requestId = "req-1") =>
        SellingPartnerOrderSource.ReadOrder20260101(
            new SellingPartnerResponse(System.Net.HttpStatusCode.OK, Encoding.UTF8.GetBytes(body), requestId, null),
            new OrderErrorContext("sp-api", orderId),
            "sp-api");
}
