using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace OrderHub.Api.Hosting;

/// <summary>
/// Completes the OpenAPI document: the <c>X-Api-Key</c> security scheme on the order endpoints, and the unified
/// order's JSON as OrderHub writes it (open enumerations as <c>{value, raw}</c>, money as a decimal string with its
/// currency).
/// </summary>
internal static class OrderApiDocument
{
    public const string SecuritySchemeName = "ApiKey";

    /// <summary>The document's name: it is served at <c>/openapi/v1.json</c>.</summary>
    public const string DocumentName = "v1";

    public static void Configure(OpenApiOptions openApi, OrderApiOptions options)
    {
        openApi.AddSchemaTransformer((schema, context, _) =>
        {
            var type = context.JsonTypeInfo.Type;

            // The host's own types keep the host's description: only what OrderHub writes its way is changed.
            if (!IsOrderHubType(Nullable.GetUnderlyingType(type) ?? type))
            {
                return Task.CompletedTask;
            }

            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ProviderValue<>))
            {
                var values = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The unified value; Unknown when the provider sent a value OrderHub does not know." };
                foreach (var name in Enum.GetNames(type.GetGenericArguments()[0]))
                {
                    values.Enum ??= [];
                    values.Enum.Add(JsonValue.Create(name));
                }

                Replace(schema, "An open enumeration: the unified value and the provider's own string.", new Dictionary<string, IOpenApiSchema>
                {
                    ["value"] = values,
                    ["raw"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The provider's string, kept as sent." },
                });
            }
            else if ((Nullable.GetUnderlyingType(type) ?? type) is { IsEnum: true } enumType)
            {
                // OrderHub writes its enumerations by name: its endpoints' JSON is its own, not the host's options.
                schema.Type = Nullable.GetUnderlyingType(type) is null ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
                schema.Format = null;
                schema.Enum = [.. Enum.GetNames(enumType).Select(name => (JsonNode)JsonValue.Create(name))];
            }
            else if (type == typeof(Money) || type == typeof(Money?))
            {
                Replace(schema, "An amount of money, exact.", new Dictionary<string, IOpenApiSchema>
                {
                    ["amount"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "decimal", Description = "The amount as a decimal string, invariant culture." },
                    ["currencyCode"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "ISO 4217 code, when the provider gave one." },
                });
            }

            return Task.CompletedTask;
        });

        // The query endpoints read their parameters themselves (to name each one refused): their metadata lists them.
        openApi.AddOperationTransformer((operation, context, _) =>
        {
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<Query.QueryParametersMetadata>().FirstOrDefault() is { } metadata)
            {
                operation.Parameters ??= [];
                foreach (var parameter in metadata.Parameters)
                {
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = parameter.Name,
                        In = ParameterLocation.Query,
                        Description = parameter.Description,
                        Schema = parameter.Schema,

                        // A list is one parameter, its values separated by commas.
                        Style = ParameterStyle.Form,
                        Explode = false,
                    });
                }
            }

            return Task.CompletedTask;
        });

        if (options.AuthenticationDisabled)
        {
            return;
        }

        openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[SecuritySchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = Security.ApiKeyAuthenticator.HeaderName,
                Description = "An API key from ORDERHUB_API_KEYS. Keys are accepted only in this header, never in the URL.",
            };
            return Task.CompletedTask;
        });
        openApi.AddOperationTransformer((operation, context, _) =>
        {
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<RequiresApiKeyMetadata>().Any())
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecuritySchemeName, context.Document)] = [] });
            }

            return Task.CompletedTask;
        });
    }

    private static bool IsOrderHubType(Type type) =>
        type.Assembly.GetName().Name is { } assembly && (assembly == "OrderHub" || assembly.StartsWith("OrderHub.", StringComparison.Ordinal));

    private static void Replace(OpenApiSchema schema, string description, Dictionary<string, IOpenApiSchema> properties)
    {
        schema.Type = JsonSchemaType.Object;
        schema.Description = description;
        schema.Properties = properties;
        schema.Required = new HashSet<string>(new[] { "value", "raw", "amount" }.Where(properties.ContainsKey));
        schema.Items = null;
        schema.Enum = null;
        schema.Format = null;
    }
}
