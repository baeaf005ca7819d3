namespace OrderHub;

/// <summary>
/// How an application's users configure a source of a marketplace, in the application's own words: the lookup says it
/// when an order id of that marketplace has no configured source (a command-line tool names its environment variables,
/// a service its settings). Register one as a singleton next to <c>AddOrderHub()</c>, or pass it to the
/// <see cref="OrderLookup"/> constructor; without one, the lookup names the library's registrations.
/// </summary>
/// <param name="Marketplace">The marketplace, as the message names it (for example <c>Amazon Selling Partner</c>).</param>
/// <param name="Format">The format of its order ids; a hint for one of <see cref="KnownOrderIdFormats"/> replaces the library's.</param>
/// <param name="HowToConfigure">What to do, said after a colon (for example <c>set ORDERHUB_LWA_CLIENT_ID, ...</c>).</param>
public sealed record OrderSourceConfigurationHint(string Marketplace, OrderIdFormat Format, string HowToConfigure);
