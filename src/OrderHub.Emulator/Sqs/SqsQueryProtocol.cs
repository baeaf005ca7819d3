using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using OrderHub.Emulator.Aws;

namespace OrderHub.Emulator.Sqs;

/// <summary>
/// SQS's query protocol (a form of <c>Action=...&amp;QueueUrl=...</c>, answered in XML), which SDKs released before
/// SQS took AWS JSON still send: its parameters are read into the JSON input of the operation's shape, and the JSON
/// reply is written as the query protocol's <c>&lt;{Action}Response&gt;</c>, or its <c>&lt;ErrorResponse&gt;</c>.
/// </summary>
internal static class SqsQueryProtocol
{
    private static readonly XNamespace Ns = "http://queue.amazonaws.com/doc/2012-11-05/";

    /// <summary>The query names of the members that are lists or maps: flattened, numbered from 1.</summary>
    private static readonly Dictionary<string, string> Flattened = new(StringComparer.Ordinal)
    {
        ["Attributes"] = "Attribute",
        ["tags"] = "Tag",
        ["AttributeNames"] = "AttributeName",
        ["MessageSystemAttributeNames"] = "MessageSystemAttributeName",
        ["MessageAttributeNames"] = "MessageAttributeName",
        ["MessageAttributes"] = "MessageAttribute",
        ["MessageSystemAttributes"] = "MessageSystemAttribute",
        ["QueueUrls"] = "QueueUrl",
        ["Messages"] = "Message",
    };

    /// <summary>Reads a form body's parameters.</summary>
    public static Dictionary<string, string> Parse(byte[] body) =>
        QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);

    /// <summary>
    /// The operation's input as AWS JSON would carry it, from the query parameters: scalars by name (integers parsed,
    /// left as text when they are not, for the model to refuse), lists as <c>Name.N</c>, maps as <c>Name.N.Name</c> (or
    /// <c>.Key</c>) and <c>Name.N.Value</c>, a message attribute's value as <c>Name.N.Value.DataType</c> and the rest.
    /// A request posted to its queue's URL without a <c>QueueUrl</c> parameter names the queue by that URL.
    /// </summary>
    public static JsonObject InputOf(string operation, IReadOnlyDictionary<string, string> parameters, HttpRequest request)
    {
        var input = new JsonObject();
        foreach (var (member, type) in AwsServiceModel.Sqs.MemberTypes(operation + "Request"))
        {
            var name = Flattened.GetValueOrDefault(member, member);
            switch (type)
            {
                case "list":
                    var items = Numbered(parameters, name).Select(n => parameters[$"{name}.{n}"]).ToList();
                    if (items.Count > 0)
                    {
                        input[member] = new JsonArray([.. items.Select(i => JsonValue.Create(i))]);
                    }

                    break;
                case "map":
                    var map = new JsonObject();
                    foreach (var n in Numbered(parameters, name, ".Name").Concat(Numbered(parameters, name, ".Key")))
                    {
                        var key = parameters.GetValueOrDefault($"{name}.{n}.Name") ?? parameters[$"{name}.{n}.Key"];
                        map[key] = parameters.TryGetValue($"{name}.{n}.Value", out var text) ? JsonValue.Create(text) : AttributeValue(parameters, $"{name}.{n}.Value");
                    }

                    if (map.Count > 0)
                    {
                        input[member] = map;
                    }

                    break;
                case "integer" when parameters.TryGetValue(name, out var number):
                    input[member] = int.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) ? parsed : number;
                    break;
                case "boolean" when parameters.TryGetValue(name, out var flag):
                    input[member] = flag == "true" ? true : flag == "false" ? false : flag;
                    break;
                default:
                    if (parameters.TryGetValue(name, out var value))
                    {
                        input[member] = value;
                    }

                    break;
            }
        }

        if (input["QueueUrl"] is null && request.Path.Value is { Length: > 1 } path && AwsServiceModel.Sqs.MemberTypes(operation + "Request").ContainsKey("QueueUrl"))
        {
            input["QueueUrl"] = $"{request.Scheme}://{request.Host}{path}";
        }

        return input;
    }

    /// <summary>Writes a reply in the query protocol: the result in XML, or an error with the query protocol's code.</summary>
    public static Task WriteAsync(HttpContext http, string operation, string requestId, int status, JsonObject body, string? queryError)
    {
        XElement document;
        if (status >= 300)
        {
            var (code, fault) = queryError?.Split(';') is [var c, var f] ? (c, f) : (body["__type"]?.GetValue<string>().Split('#')[^1] ?? "InternalError", status >= 500 ? "Receiver" : "Sender");
            document = new XElement(
                Ns + "ErrorResponse",
                new XElement(Ns + "Error", new XElement(Ns + "Type", fault), new XElement(Ns + "Code", code), new XElement(Ns + "Message", body["message"]?.GetValue<string>()), new XElement(Ns + "Detail")),
                new XElement(Ns + "RequestId", requestId));
        }
        else
        {
            document = new XElement(
                Ns + $"{operation}Response",
                new XElement(Ns + $"{operation}Result", Elements(body)),
                new XElement(Ns + "ResponseMetadata", new XElement(Ns + "RequestId", requestId)));
        }

        http.Response.StatusCode = status;
        http.Response.ContentType = "text/xml";
        return http.Response.WriteAsync(new XDeclaration("1.0", "utf-8", null) + document.ToString(SaveOptions.DisableFormatting), http.RequestAborted);
    }

    // A JSON object's members as XML: a list or map member flattened into repeated elements of its query name, a map's
    // entry as <Name/> and <Value/>, a message attribute's value as its own elements.
    private static IEnumerable<XElement> Elements(JsonObject json)
    {
        foreach (var (member, value) in json)
        {
            var name = Flattened.GetValueOrDefault(member, member);
            switch (value)
            {
                case JsonArray list:
                    foreach (var item in list)
                    {
                        yield return item is JsonObject structure ? new XElement(Ns + name, Elements(structure)) : new XElement(Ns + name, item?.ToString());
                    }

                    break;
                case JsonObject map:
                    foreach (var (key, entry) in map)
                    {
                        yield return new XElement(
                            Ns + name,
                            new XElement(Ns + "Name", key),
                            entry is JsonObject structure ? new XElement(Ns + "Value", Elements(structure)) : new XElement(Ns + "Value", entry?.ToString()));
                    }

                    break;
                default:
                    yield return new XElement(Ns + name, value?.ToString());
                    break;
            }
        }
    }

    private static JsonObject? AttributeValue(IReadOnlyDictionary<string, string> parameters, string prefix)
    {
        var value = new JsonObject();
        foreach (var field in new[] { "DataType", "StringValue", "BinaryValue" })
        {
            if (parameters.TryGetValue($"{prefix}.{field}", out var text))
            {
                value[field] = text;
            }
        }

        return value.Count == 0 ? null : value;
    }

    // The indexes N of Name.N (or Name.N.suffix) given, in order.
    private static IEnumerable<int> Numbered(IReadOnlyDictionary<string, string> parameters, string name, string suffix = "")
    {
        for (var n = 1; parameters.ContainsKey($"{name}.{n}{suffix}"); n++)
        {
            yield return n;
        }
    }
}
