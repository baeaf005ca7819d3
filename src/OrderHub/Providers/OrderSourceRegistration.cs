using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace OrderHub.Providers;

/// <summary>
/// How a provider registers its sources, the same way for every provider: named options bound from
/// <c>OrderHub:Sources:&lt;name&gt;</c> and validated by their rules (data annotations and
/// <see cref="IValidatableObject"/>) at start, a keyed singleton per explicit registration, and a set of the sources
/// configuration lists for the provider. The first source registered of a provider is also its unkeyed service.
/// </summary>
public static class OrderSourceRegistration
{
    /// <summary>Checks options by their rules, as the constructors and DI's validation both do.</summary>
    /// <param name="options">The options.</param>
    /// <returns>One message per broken rule, naming the source and the setting; empty when they hold.</returns>
    public static IReadOnlyList<string> Check(IOrderSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(r => $"Source '{options.SourceName}': {r.ErrorMessage}")];
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming every broken rule, for a source built without DI.</summary>
    /// <param name="options">The options.</param>
    /// <param name="parameterName">The argument's name.</param>
    public static void ThrowIfInvalid(IOrderSourceOptions options, string parameterName)
    {
        if (Check(options) is { Count: > 0 } problems)
        {
            throw new ArgumentException(string.Join(" ", problems), parameterName);
        }
    }

    /// <summary>Registers one named source of a provider.</summary>
    /// <typeparam name="TSource">The source type.</typeparam>
    /// <typeparam name="TOptions">Its options.</typeparam>
    /// <param name="builder">The OrderHub builder.</param>
    /// <param name="name">The source's name.</param>
    /// <param name="configure">Sets options in code, after configuration.</param>
    /// <param name="create">Builds the source from the services and its name (its options are <c>IOptionsMonitor&lt;TOptions&gt;.Get(name)</c>).</param>
    /// <returns>The builder.</returns>
    public static OrderHubBuilder AddSource<TSource, TOptions>(OrderHubBuilder builder, string name, Action<TOptions>? configure, Func<IServiceProvider, string, TSource> create)
        where TSource : class, IOrderSource
        where TOptions : class, IOrderSourceOptions
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(create);
        builder.ReserveSourceName(name);
        AddRules<TOptions>(builder.Services);
        var options = builder.Services.AddOptions<TOptions>(name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        builder.Services.AddKeyedSingleton(name, (sp, _) => create(sp, name));
        builder.Services.AddSingleton<IOrderSource>(sp => sp.GetRequiredKeyedService<TSource>(name));

        // The first source of a provider can also be resolved without its name, as when there is only one.
        builder.Services.TryAddSingleton(sp => sp.GetRequiredKeyedService<TSource>(name));
        return builder;
    }

    /// <summary>Registers every source that configuration lists under <c>OrderHub:Sources</c> with this provider's <c>Provider</c> value.</summary>
    /// <typeparam name="TSource">The source type.</typeparam>
    /// <typeparam name="TOptions">Its options.</typeparam>
    /// <param name="builder">The OrderHub builder.</param>
    /// <param name="providerName">The <c>Provider</c> value, for example <c>SellingPartner</c>.</param>
    /// <param name="create">Builds a source from the services and its name.</param>
    /// <returns>The builder.</returns>
    public static OrderHubBuilder AddConfiguredSources<TSource, TOptions>(OrderHubBuilder builder, string providerName, Func<IServiceProvider, string, TSource> create)
        where TSource : class, IOrderSource
        where TOptions : class, IOrderSourceOptions
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(providerName);
        AddRules<TOptions>(builder.Services);
        builder.Services.AddSingleton(new ConfiguredProvider(providerName));
        builder.Services.AddSingleton<IOrderSourceSet>(sp => new ConfiguredSources(() =>
            [.. (sp.GetService<IConfiguration>()?.GetSection($"{OrderHubOptions.SectionName}:Sources").GetChildren() ?? [])
                .Where(section => string.Equals(section["Provider"], providerName, StringComparison.OrdinalIgnoreCase))
                .Select(section => Validated<TOptions>(sp, section.Key))
                .Select(name => (IOrderSource)create(sp, name))]));

        // A source configuration lists is resolvable by its name, as one registered by name is (which wins over this).
        builder.Services.AddKeyedSingleton<TSource>(KeyedService.AnyKey, (sp, key) =>
            sp.GetServices<IOrderSourceSet>().SelectMany(set => set.Sources).OfType<TSource>().FirstOrDefault(s => Equals(s.Name, key))
            ?? throw new InvalidOperationException($"No {typeof(TSource).Name} is named '{key}': none is registered by that name, and configuration lists none under {OrderHubOptions.SectionName}:Sources:{key} with Provider = {providerName}."));

        // At the host's start, every listed source is built, so a bad setting stops the host naming the source and the setting.
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ConfiguredSourcesStartupCheck>());
        return builder;
    }

    /// <summary>A <c>Provider</c> value a registration of configured sources accepts.</summary>
    private sealed record ConfiguredProvider(string Name);

    /// <summary>
    /// Builds every configured source when the host starts: a setting its rules refuse, or a <c>Provider</c> value no
    /// registration accepts, stops the host with an <see cref="OptionsValidationException"/> naming it, instead of
    /// failing the first call.
    /// </summary>
    private sealed class ConfiguredSourcesStartupCheck(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            var accepted = services.GetServices<ConfiguredProvider>().Select(p => p.Name).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
            var unknown = (services.GetService<IConfiguration>()?.GetSection($"{OrderHubOptions.SectionName}:Sources").GetChildren() ?? [])
                .Where(section => section["Provider"] is { Length: > 0 } provider && !accepted.Contains(provider, StringComparer.OrdinalIgnoreCase))
                .Select(section => $"{section.Path}:Provider: '{section["Provider"]}' is not a provider this application registers; accepted: {string.Join(", ", accepted)}.")
                .ToArray();
            if (unknown.Length > 0)
            {
                throw new OptionsValidationException(Options.DefaultName, typeof(OrderHubOptions), unknown);
            }

            foreach (var set in services.GetServices<IOrderSourceSet>())
            {
                _ = set.Sources;
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    // Configured sources are not validated at start (they are found when the lookup is built): they are here.
    private static string Validated<TOptions>(IServiceProvider services, string name)
        where TOptions : class, IOrderSourceOptions
    {
        _ = services.GetRequiredService<IOptionsMonitor<TOptions>>().Get(name);
        return name;
    }

    private static void AddRules<TOptions>(IServiceCollection services)
        where TOptions : class, IOrderSourceOptions
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<TOptions>, BindSourceSection<TOptions>>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<TOptions>, NameTheSource<TOptions>>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, ValidateSource<TOptions>>());
    }

    private sealed class BindSourceSection<TOptions>(IServiceProvider services) : IConfigureNamedOptions<TOptions>
        where TOptions : class, IOrderSourceOptions
    {
        public void Configure(string? name, TOptions options)
        {
            if (string.IsNullOrEmpty(name))
            {
                return;
            }

            try
            {
                services.GetService<IConfiguration>()?.GetSection(OrderHubBuilder.SourceSection(name)).Bind(options);
            }
            catch (InvalidOperationException e)
            {
                // A value of the wrong type ("Region": "mars"): said as a validation failure naming the setting.
                throw new OptionsValidationException(name, typeof(TOptions), [$"Source '{name}': {e.Message} {e.InnerException?.Message}".Trim()]);
            }
        }

        public void Configure(TOptions options) => Configure(Options.DefaultName, options);
    }

    private sealed class NameTheSource<TOptions> : IPostConfigureOptions<TOptions>
        where TOptions : class, IOrderSourceOptions
    {
        public void PostConfigure(string? name, TOptions options)
        {
            if (!string.IsNullOrEmpty(name))
            {
                options.SourceName = name;
            }
        }
    }

    private sealed class ValidateSource<TOptions> : IValidateOptions<TOptions>
        where TOptions : class, IOrderSourceOptions
    {
        public ValidateOptionsResult Validate(string? name, TOptions options) =>
            Check(options) is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }

    // The container disposes what it made, and it did not make these: the sources configuration lists are disposed
    // with the set, so their HTTP handlers, timers and gauges go with the container as an explicit registration's do.
    private sealed class ConfiguredSources(Func<IReadOnlyList<IOrderSource>> create) : IOrderSourceSet, IAsyncDisposable, IDisposable
    {
        private readonly Lazy<IReadOnlyList<IOrderSource>> _sources = new(create);
        private int _disposed;

        public IReadOnlyList<IOrderSource> Sources => _sources.Value;

        public async ValueTask DisposeAsync()
        {
            foreach (var source in Created())
            {
                switch (source)
                {
                    case IAsyncDisposable asyncDisposable: await asyncDisposable.DisposeAsync().ConfigureAwait(false); break;
                    case IDisposable disposable: disposable.Dispose(); break;
                }
            }
        }

        public void Dispose()
        {
            foreach (var source in Created())
            {
                switch (source)
                {
                    case IDisposable disposable: disposable.Dispose(); break;
                    case IAsyncDisposable:
                        // As the container itself refuses a service that can only be disposed asynchronously.
                        throw new InvalidOperationException($"The source '{source.Name}' can only be disposed asynchronously: dispose the service provider with DisposeAsync.");
                }
            }
        }

        // The sources to dispose, once: none if they were never made.
        private IReadOnlyList<IOrderSource> Created() =>
            Interlocked.Exchange(ref _disposed, 1) == 0 && _sources.IsValueCreated ? _sources.Value : [];
    }
}
