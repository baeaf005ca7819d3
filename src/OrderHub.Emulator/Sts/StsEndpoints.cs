using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using OrderHub.Emulator.Aws;

namespace OrderHub.Emulator.Sts;

/// <summary>
/// AWS STS's query protocol, as the emulator answers it on <c>/</c> (where the SDKs send STS when
/// <c>AWS_ENDPOINT_URL_STS</c> names the emulator): <c>Action=AssumeRole</c>, signed with SigV4 for <c>sts</c> by the
/// long-term key or temporary credentials; <c>AssumeRoleWithWebIdentity</c>, unsigned, with a token the emulator
/// accepts; <c>GetCallerIdentity</c>. Input is validated against botocore's STS model; responses and errors are the
/// XML documents STS writes.
/// </summary>
internal static class StsEndpoints
{
    private const string ApiVersion = "2011-06-15";
    private const string SessionLimitOfRoleChaining = "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.";
    private static readonly XNamespace Ns = "https://sts.amazonaws.com/doc/2011-06-15/";
    private static readonly TimeSpan DefaultDuration = TimeSpan.FromHours(1);
    private static readonly TimeSpan ChainedMaxDuration = TimeSpan.FromHours(1);

    /// <summary>Maps STS on <c>POST /</c> (and <c>GET /</c>, with the parameters in the query).</summary>
    /// <param name="app">The application.</param>
    /// <param name="state">The STS state.</param>
    public static void Map(IEndpointRouteBuilder app, StsEmulatorState state)
    {
        app.MapPost("/", (Delegate)((HttpContext http) => HandleAsync(http, state)));
        app.MapGet("/", (Delegate)((HttpContext http) => HandleAsync(http, state)));
    }

    private static async Task<IResult> HandleAsync(HttpContext http, StsEmulatorState state)
    {
        var requestId = Guid.NewGuid().ToString();
        http.Response.Headers["x-amzn-RequestId"] = requestId;
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        var body = buffer.ToArray();
        state.CountRequest();

        var parameters = Parameters(http.Request, body);
        var action = parameters.GetValueOrDefault("Action");
        if (string.IsNullOrEmpty(action))
        {
            return Error(400, "MissingAction", "The request is missing an action or a required parameter.", requestId);
        }

        if (parameters.GetValueOrDefault("Version") != ApiVersion || action is not ("AssumeRole" or "AssumeRoleWithWebIdentity" or "GetCallerIdentity"))
        {
            return Error(400, "InvalidAction", $"Could not find operation {action} for version {parameters.GetValueOrDefault("Version") ?? "NO_VERSION_SPECIFIED"}", requestId);
        }

        if (action == "AssumeRoleWithWebIdentity")
        {
            // The one operation that is not signed: the web identity token is the credential.
            return AssumeRoleWithWebIdentity(state, parameters, requestId);
        }

        string? signedBy = null;
        var keys = state.KeysFor(http.Request);
        // Signatures are dated by the client's real clock, as the Outposts endpoints check them.
        if (SigV4Verifier.Verify(http.Request, body, id => keys(signedBy = id), state.StsRegions, "sts", TimeProvider.System.GetUtcNow()) is { } denied)
        {
            return SignatureError(denied, requestId);
        }

        var caller = state.CallerOf(signedBy!);
        return action == "AssumeRole" ? AssumeRole(state, caller, parameters, requestId) : GetCallerIdentity(caller, requestId);
    }

    private static IResult AssumeRole(StsEmulatorState state, Caller caller, Dictionary<string, string> parameters, string requestId)
    {
        if (Validate("AssumeRoleRequest", parameters) is { } violation)
        {
            return Error(400, "ValidationError", violation, requestId);
        }

        var roleArn = parameters["RoleArn"];
        var duration = parameters.TryGetValue("DurationSeconds", out var seconds) ? TimeSpan.FromSeconds(int.Parse(seconds, CultureInfo.InvariantCulture)) : DefaultDuration;
        if (!RoleArn.TryParse(roleArn, out var role))
        {
            return Error(400, "ValidationError", $"{roleArn} is invalid", requestId);
        }

        if (!state.IsAssumable(roleArn))
        {
            return Error(403, "AccessDenied", $"User: {caller.Arn} is not authorized to perform: sts:AssumeRole on resource: {roleArn}", requestId);
        }

        if (caller.Temporary && duration > ChainedMaxDuration)
        {
            return Error(400, "ValidationError", SessionLimitOfRoleChaining, requestId);
        }

        var issued = state.Issue(role, parameters["RoleSessionName"], duration);
        return Xml("AssumeRole", requestId, AssumedRoleUser(issued), CredentialsOf(issued));
    }

    private static IResult AssumeRoleWithWebIdentity(StsEmulatorState state, Dictionary<string, string> parameters, string requestId)
    {
        if (Validate("AssumeRoleWithWebIdentityRequest", parameters) is { } violation)
        {
            return Error(400, "ValidationError", violation, requestId);
        }

        if (!state.AcceptsWebIdentityToken(parameters["WebIdentityToken"]))
        {
            return Error(400, "InvalidIdentityToken", "The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.", requestId);
        }

        var roleArn = parameters["RoleArn"];
        if (!RoleArn.TryParse(roleArn, out var role))
        {
            return Error(400, "ValidationError", $"{roleArn} is invalid", requestId);
        }

        if (!state.IsAssumable(roleArn))
        {
            return Error(403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity", requestId);
        }

        var duration = parameters.TryGetValue("DurationSeconds", out var seconds) ? TimeSpan.FromSeconds(int.Parse(seconds, CultureInfo.InvariantCulture)) : DefaultDuration;
        var issued = state.Issue(role, parameters["RoleSessionName"], duration);
        return Xml(
            "AssumeRoleWithWebIdentity",
            requestId,
            new XElement(Ns + "SubjectFromWebIdentityToken", "emulator-web-identity"),
            new XElement(Ns + "Audience", "sts.amazonaws.com"),
            AssumedRoleUser(issued),
            CredentialsOf(issued),
            new XElement(Ns + "Provider", parameters.GetValueOrDefault("ProviderId") ?? "emulator"));
    }

    private static IResult GetCallerIdentity(Caller caller, string requestId) => Xml(
        "GetCallerIdentity",
        requestId,
        new XElement(Ns + "Arn", caller.Arn),
        new XElement(Ns + "UserId", caller.UserId),
        new XElement(Ns + "Account", caller.Account));

    // The query protocol's parameters: the form body of a POST, and the query string (less a presigned signature's own).
    private static Dictionary<string, string> Parameters(HttpRequest request, byte[] body)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in request.Query.Where(q => !q.Key.StartsWith("X-Amz-", StringComparison.Ordinal)))
        {
            parameters[name] = value.ToString();
        }

        if (request.HasFormContentType)
        {
            foreach (var (name, value) in QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)))
            {
                parameters[name] = value.ToString();
            }
        }

        return parameters;
    }

    // The model's checks over the top-level members (lists such as Tags or PolicyArns are accepted as sent).
    private static string? Validate(string inputShape, Dictionary<string, string> parameters)
    {
        var model = AwsServiceModel.Sts;
        var input = new JsonObject();
        foreach (var (member, type) in model.MemberTypes(inputShape))
        {
            if (!parameters.TryGetValue(member, out var value))
            {
                continue;
            }

            input[member] = type switch
            {
                "integer" or "long" when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) => number,
                "string" => value,
                _ => null,
            };
            if (type is "integer" or "long" && input[member] is null)
            {
                return $"1 validation error detected: Value '{value}' at '{char.ToLowerInvariant(member[0])}{member[1..]}' failed to satisfy constraint: Member must be a number";
            }
        }

        return model.Validate(inputShape, input);
    }

    private static XElement AssumedRoleUser(IssuedCredentials issued) => new(
        Ns + "AssumedRoleUser",
        new XElement(Ns + "AssumedRoleId", issued.AssumedRoleId),
        new XElement(Ns + "Arn", issued.AssumedRoleArn));

    private static XElement CredentialsOf(IssuedCredentials issued) => new(
        Ns + "Credentials",
        new XElement(Ns + "AccessKeyId", issued.AccessKeyId),
        new XElement(Ns + "SecretAccessKey", issued.SecretAccessKey),
        new XElement(Ns + "SessionToken", issued.SessionToken),
        new XElement(Ns + "Expiration", issued.Expiration.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)));

    // <ActionResponse><ActionResult>...</ActionResult><ResponseMetadata><RequestId/></ResponseMetadata></ActionResponse>
    private static XmlResult Xml(string action, string requestId, params object[] result) => new(200, new XDocument(new XElement(
        Ns + $"{action}Response",
        new XElement(Ns + $"{action}Result", result),
        new XElement(Ns + "ResponseMetadata", new XElement(Ns + "RequestId", requestId)))));

    // The verifier speaks the rest-json services' error types; STS's query protocol has codes of its own for them.
    private static XmlResult SignatureError((string Type, string Message) denied, string requestId) => denied.Type switch
    {
        "MissingAuthenticationTokenException" => Error(403, "MissingAuthenticationToken", "Request is missing Authentication Token", requestId),
        "IncompleteSignatureException" => Error(400, "IncompleteSignature", denied.Message, requestId),
        "InvalidSignatureException" => Error(403, "SignatureDoesNotMatch", denied.Message, requestId),
        "UnrecognizedClientException" => Error(403, "InvalidClientTokenId", denied.Message, requestId),
        "ExpiredTokenException" => Error(403, "ExpiredToken", denied.Message, requestId),
        "AccessDeniedException" => Error(403, "AccessDenied", denied.Message, requestId),
        _ => Error(400, denied.Type, denied.Message, requestId),
    };

    private static XmlResult Error(int status, string code, string message, string requestId) => new(status, new XDocument(new XElement(
        Ns + "ErrorResponse",
        new XElement(
            Ns + "Error",
            new XElement(Ns + "Type", status >= 500 ? "Receiver" : "Sender"),
            new XElement(Ns + "Code", code),
            new XElement(Ns + "Message", message)),
        new XElement(Ns + "RequestId", requestId))));

    /// <summary>An XML document, as STS answers: <c>text/xml</c>.</summary>
    private sealed class XmlResult(int status, XDocument document) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = "text/xml";
            return httpContext.Response.WriteAsync(document.Declaration + document.ToString(SaveOptions.DisableFormatting), httpContext.RequestAborted);
        }
    }
}
