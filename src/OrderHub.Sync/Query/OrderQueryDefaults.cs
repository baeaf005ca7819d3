namespace OrderHub.Sync;

/// <summary>The limits and defaults of <see cref="OrderQuery"/>, stated in its documentation.</summary>
internal static class OrderQueryDefaults
{
    public const int PageSize = 100;

    public const int MaxPageSize = 1000;

    // Bounds the statement a list becomes (one parameter per value).
    public const int MaxValuesPerList = 100;
}
