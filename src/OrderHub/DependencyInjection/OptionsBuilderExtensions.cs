using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OrderHub;

/// <summary>Binding options from configuration when the application has configuration at all.</summary>
internal static class OptionsBuilderExtensions
{
    /// <summary>
    /// Binds the options from a configuration section if an <see cref="IConfiguration"/> is registered; an application
    /// that configures everything in code needs none.
    /// </summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <param name="builder">The options builder.</param>
    /// <param name="sectionPath">The section, for example <c>OrderHub</c>.</param>
    /// <returns>The builder.</returns>
    public static OptionsBuilder<TOptions> BindConfigurationIfPresent<TOptions>(this OptionsBuilder<TOptions> builder, string sectionPath)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Configure<IServiceProvider>((options, services) => services.GetService<IConfiguration>()?.GetSection(sectionPath).Bind(options));
    }
}
