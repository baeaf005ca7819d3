using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OrderHub.Emulator.Aws;

/// <summary>
/// An AWS service's own model (botocore's <c>service-2.json</c>, embedded), used as the service uses it: an operation's
/// input is checked against the shapes' required members, lengths, ranges, patterns and enums, and refused with AWS's
/// validation wording. It shares nothing with the client's validation, which it judges.
/// </summary>
internal sealed class AwsServiceModel
{
    private static readonly Lazy<AwsServiceModel> OutpostsModel = new(() => Load("outposts-2019-12-03.service-2.json"));
    private static readonly Lazy<AwsServiceModel> StsModel = new(() => Load("sts-2011-06-15.service-2.json"));
    private static readonly Lazy<AwsServiceModel> SqsModel = new(() => Load("sqs-2012-11-05.service-2.json"));
    private readonly JsonObject _shapes;
    private readonly Dictionary<string, Regex> _patterns = new(StringComparer.Ordinal);

    private AwsServiceModel(JsonObject shapes) => _shapes = shapes;

    /// <summary>Gets AWS Outposts' model, 2019-12-03 (rest-json).</summary>
    public static AwsServiceModel Outposts => OutpostsModel.Value;

    /// <summary>Gets AWS STS's model, 2011-06-15 (query).</summary>
    public static AwsServiceModel Sts => StsModel.Value;

    /// <summary>Gets Amazon SQS's model, 2012-11-05 (AWS JSON 1.0).</summary>
    public static AwsServiceModel Sqs => SqsModel.Value;

    /// <summary>Gets the type (<c>string</c>, <c>integer</c>, <c>structure</c>, ...) of each member of a structure shape.</summary>
    public IReadOnlyDictionary<string, string> MemberTypes(string structureShape) =>
        Shape(structureShape)["members"]!.AsObject().ToDictionary(
            m => m.Key,
            m => Shape(m.Value!["shape"]!.GetValue<string>())["type"]!.GetValue<string>(),
            StringComparer.Ordinal);

    /// <summary>Checks an input against its shape; returns AWS's message for what breaks the model, or <see langword="null"/>.</summary>
    public string? Validate(string inputShape, JsonObject input)
    {
        var errors = new List<string>();
        CheckStructure(inputShape, input, string.Empty, errors);
        return errors.Count switch
        {
            0 => null,
            1 => $"1 validation error detected: {errors[0]}",
            _ => string.Create(CultureInfo.InvariantCulture, $"{errors.Count} validation errors detected: {string.Join("; ", errors)}"),
        };
    }

    private static AwsServiceModel Load(string resource)
    {
        using var stream = typeof(AwsServiceModel).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The service model {resource} is not embedded.");
        return new AwsServiceModel(JsonNode.Parse(stream)!["shapes"]!.AsObject());
    }

    private JsonObject Shape(string name) => _shapes[name]!.AsObject();

    private void CheckStructure(string shapeName, JsonObject value, string path, List<string> errors)
    {
        var shape = Shape(shapeName);
        foreach (var required in (shape["required"] as JsonArray ?? []).Select(r => r!.GetValue<string>()))
        {
            if (value[required] is null)
            {
                errors.Add($"Value null at '{Join(path, required)}' failed to satisfy constraint: Member must not be null");
            }
        }

        foreach (var (name, member) in shape["members"]!.AsObject())
        {
            if (value[name] is { } memberValue)
            {
                Check(member!["shape"]!.GetValue<string>(), memberValue, Join(path, name), errors);
            }
        }
    }

    private void Check(string shapeName, JsonNode value, string path, List<string> errors)
    {
        var shape = Shape(shapeName);
        switch (shape["type"]!.GetValue<string>())
        {
            case "structure" when value is JsonObject structure:
                CheckStructure(shapeName, structure, path, errors);
                break;
            case "list" when value is JsonArray list:
                CheckLength(shape, list.Count, list.ToJsonString(), path, errors);
                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i] is { } item)
                    {
                        Check(shape["member"]!["shape"]!.GetValue<string>(), item, string.Create(CultureInfo.InvariantCulture, $"{path}.{i + 1}.member"), errors);
                    }
                }

                break;
            case "map" when value is JsonObject map:
                foreach (var (key, entry) in map)
                {
                    Check(shape["key"]!["shape"]!.GetValue<string>(), JsonValue.Create(key), $"{path}.{key}.key", errors);
                    if (entry is not null)
                    {
                        Check(shape["value"]!["shape"]!.GetValue<string>(), entry, $"{path}.{key}.value", errors);
                    }
                }

                break;
            case "boolean" when value is JsonValue flag && flag.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False:
                break;
            case "blob" when value is JsonValue blob && blob.TryGetValue<string>(out var encoded) && IsBase64(encoded):
                break;
            case "string" when value is JsonValue text && text.TryGetValue<string>(out var s):
                if (shape["enum"] is JsonArray allowed && !allowed.Any(a => a!.GetValue<string>() == s))
                {
                    errors.Add($"Value '{s}' at '{path}' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", allowed.Select(a => a!.GetValue<string>()))}]");
                    break;
                }

                CheckLength(shape, s.Length, s, path, errors);
                if (shape["pattern"]?.GetValue<string>() is { } pattern && !PatternOf(pattern).IsMatch(s))
                {
                    errors.Add($"Value '{s}' at '{path}' failed to satisfy constraint: Member must satisfy regular expression pattern: {pattern}");
                }

                break;
            case "integer" or "long" when value is JsonValue number && long.TryParse(number.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n):
                if (shape["min"]?.GetValue<long>() is { } min && n < min)
                {
                    errors.Add(string.Create(CultureInfo.InvariantCulture, $"Value '{n}' at '{path}' failed to satisfy constraint: Member must have value greater than or equal to {min}"));
                }

                if (shape["max"]?.GetValue<long>() is { } max && n > max)
                {
                    errors.Add(string.Create(CultureInfo.InvariantCulture, $"Value '{n}' at '{path}' failed to satisfy constraint: Member must have value less than or equal to {max}"));
                }

                break;
            default:
                errors.Add($"Value at '{path}' failed to satisfy constraint: Member must be of type {shape["type"]!.GetValue<string>()}");
                break;
        }
    }

    private static bool IsBase64(string text) => Convert.TryFromBase64String(text, new byte[text.Length], out _);

    private static void CheckLength(JsonObject shape, int length, string shown, string path, List<string> errors)
    {
        if (shape["min"]?.GetValue<int>() is { } min && length < min)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Value '{shown}' at '{path}' failed to satisfy constraint: Member must have length greater than or equal to {min}"));
        }

        if (shape["max"]?.GetValue<int>() is { } max && length > max)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Value '{shown}' at '{path}' failed to satisfy constraint: Member must have length less than or equal to {max}"));
        }
    }

    // The model's patterns are searched for, as the service does, with ASCII-only classes (\d is [0-9]).
    private Regex PatternOf(string pattern)
    {
        lock (_patterns)
        {
            if (!_patterns.TryGetValue(pattern, out var regex))
            {
                regex = new Regex(pattern, RegexOptions.ECMAScript | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
                _patterns[pattern] = regex;
            }

            return regex;
        }
    }

    private static string Join(string path, string member)
    {
        var camel = char.ToLowerInvariant(member[0]) + member[1..];
        return path.Length == 0 ? camel : $"{path}.{camel}";
    }
}
