using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderHub.SellingPartner.Notifications;

namespace OrderHub;

/// <summary>Registers the SQS queues of Selling Partner <c>ORDER_CHANGE</c> notifications, as <see cref="IOrderNotificationChannel"/>s.</summary>
public static class SellingPartnerNotificationsServiceCollectionExtensions
{
    /// <summary>The configuration section of the queues, one child per source: <c>OrderHub:Notifications</c>.</summary>
    public const string SectionName = "OrderHub:Notifications";

    /// <summary>
    /// Registers a queue for every child of <c>OrderHub:Notifications</c> (the child's key is the source's name; its
    /// settings are <see cref="SqsOrderChangeQueueOptions"/>'s: <c>QueueUrl</c>, and <c>Region</c>, <c>Endpoint</c>,
    /// <c>Profile</c>, <c>WaitTime</c>, <c>VisibilityTimeout</c> when needed). A queue whose settings break a rule stops
    /// the host when it is resolved (the follower resolves them at start), with the source and the setting named.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration that holds the section.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddSellingPartnerOrderChangeQueues(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        foreach (var child in configuration.GetSection(SectionName).GetChildren())
        {
            services.AddSingleton<IOrderNotificationChannel>(sp =>
            {
                var options = new SqsOrderChangeQueueOptions { Source = child.Key };
                try
                {
                    child.Bind(options);
                    return new SqsOrderChangeQueue(options, sp.GetService<ILogger<SqsOrderChangeQueue>>());
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException)
                {
                    throw new ArgumentException($"{SectionName}:{child.Key}: {e.Message} {e.InnerException?.Message}".Trim(), e);
                }
            });
        }

        return services;
    }

    /// <summary>Registers one source's queue.</summary>
    /// <param name="services">The services.</param>
    /// <param name="source">The Selling Partner source whose notifications the queue receives.</param>
    /// <param name="queueUrl">The queue's URL.</param>
    /// <param name="configure">Sets the other options (region, endpoint, credentials).</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddSellingPartnerOrderChangeQueue(this IServiceCollection services, string source, Uri queueUrl, Action<SqsOrderChangeQueueOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<IOrderNotificationChannel>(sp =>
        {
            var options = new SqsOrderChangeQueueOptions { Source = source, QueueUrl = queueUrl };
            configure?.Invoke(options);
            return new SqsOrderChangeQueue(options, sp.GetService<ILogger<SqsOrderChangeQueue>>());
        });
        return services;
    }
}
