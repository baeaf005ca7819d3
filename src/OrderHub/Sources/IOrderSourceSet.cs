namespace OrderHub;

/// <summary>
/// Sources that are known only once the application runs, such as every source of one marketplace listed in
/// configuration (<c>OrderHub:Sources:&lt;name&gt;</c>). The lookup registered by <c>AddOrderHub()</c> takes the
/// sources of every registered set, after the sources registered one by one.
/// </summary>
public interface IOrderSourceSet
{
    /// <summary>Gets the sources, in the order they are tried for an id several of them recognize.</summary>
    IReadOnlyList<IOrderSource> Sources { get; }
}
