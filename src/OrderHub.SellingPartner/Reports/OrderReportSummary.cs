using System.Globalization;
using CsvHelper;

namespace OrderHub.SellingPartner.Reports;

/// <summary>Why a report's row was skipped.</summary>
internal enum OrderReportSkip
{
    /// <summary>The row has no <c>amazon-order-id</c>.</summary>
    NoOrderId,

    /// <summary>The row's <c>purchase-date</c> is missing or not ISO 8601, or its <c>last-updated-date</c> is not ISO 8601.</summary>
    MalformedDate,
}

/// <summary>
/// What reading one report met: its rows and orders, the rows skipped by cause with the first one's number, and the
/// values left out (an amount, a quantity or a flag that could not be read) by column. Row numbers and column names
/// only: never a value, which may be customer data.
/// </summary>
internal sealed class OrderReportSummary
{
    private readonly Dictionary<string, long> _leftOut = new(StringComparer.Ordinal);

    /// <summary>Gets the data rows read (the header not counted), skipped ones included.</summary>
    public long Rows { get; set; }

    /// <summary>Gets the orders read.</summary>
    public long Orders { get; set; }

    /// <summary>Gets the rows skipped without an order id.</summary>
    public long SkippedWithoutOrderId { get; private set; }

    /// <summary>Gets the rows skipped for a malformed date.</summary>
    public long SkippedMalformedDate { get; private set; }

    /// <summary>Gets the number of the first data row skipped (1 is the row after the header), if any.</summary>
    public long? FirstSkippedRow { get; private set; }

    /// <summary>Gets the rows skipped.</summary>
    public long Skipped => SkippedWithoutOrderId + SkippedMalformedDate;

    /// <summary>Gets the values left out, by column.</summary>
    public IReadOnlyDictionary<string, long> LeftOut => _leftOut;

    public void Skip(OrderReportSkip why, long row)
    {
        if (why == OrderReportSkip.NoOrderId)
        {
            SkippedWithoutOrderId++;
        }
        else
        {
            SkippedMalformedDate++;
        }

        FirstSkippedRow ??= row;
    }

    public void LeaveOut(CsvReader csv, int index)
    {
        var column = csv.Headers[index];
        _leftOut[column] = _leftOut.GetValueOrDefault(column) + 1;
    }

    /// <summary>Describes the values left out, for a log line: column names and counts.</summary>
    /// <returns>For example <c>item-price: 2, quantity: 1</c>, or an empty string.</returns>
    public string DescribeLeftOut() => string.Join(", ", _leftOut.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}: {p.Value}")));
}
