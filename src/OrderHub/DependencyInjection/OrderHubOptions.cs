using System.ComponentModel.DataAnnotations;

namespace OrderHub;

/// <summary>Options that apply to every source.</summary>
public sealed class OrderHubOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "OrderHub";

    /// <summary>Gets or sets what a call does when its source has no rate-limit permit free, unless the source or the call says otherwise. The default is <see cref="ThrottleMode.Wait"/>.</summary>
    [EnumDataType(typeof(ThrottleMode))]
    public ThrottleMode ThrottleMode { get; set; } = ThrottleMode.Wait;
}
