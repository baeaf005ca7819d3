namespace OrderHub.SellingPartner.Mapping;

/// <summary>A field the upstream sent cannot be read (a date or an amount in the wrong form). Never leaves the adapter.</summary>
internal sealed class WireFormatException(string field) : Exception($"The field '{field}' is not in the documented form.")
{
    public string Field { get; } = field;
}
