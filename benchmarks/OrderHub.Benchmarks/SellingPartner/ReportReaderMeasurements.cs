using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using CsvHelper;
using OrderHub.SellingPartner.Reports;

namespace OrderHub.Benchmarks.SellingPartner;

/// <summary>
/// The order-report reader on a generated report of about 1 GB (the flat file's columns, one to three items an order,
/// the values real reports carry), each pass in a process of its own so that its peak resident memory is its own:
/// two bare passes of the CSV libraries over every field (the baseline, and the library not chosen), then OrderHub's
/// reader into partial orders over the plain file and over the gzip document as it is downloaded.
/// </summary>
internal static class ReportReaderMeasurements
{
    private static readonly string[] Columns =
    [
        "amazon-order-id", "merchant-order-id", "purchase-date", "last-updated-date", "order-status", "fulfillment-channel",
        "sales-channel", "order-channel", "ship-service-level", "product-name", "sku", "asin", "number-of-items", "item-status",
        "tax-collection-model", "tax-collection-responsible-party", "quantity", "currency", "item-price", "item-tax",
        "shipping-price", "shipping-tax", "gift-wrap-price", "gift-wrap-tax", "item-promotion-discount",
        "ship-promotion-discount", "address-type", "ship-city", "ship-state", "ship-postal-code", "ship-country",
        "promotion-ids", "is-business-order", "purchase-order-number", "price-designation", "cpf",
    ];

    private static readonly string[] Passes = ["csvhelper-bare", "sylvan-bare", "reader", "reader-gzip"];

    /// <summary>Generates the report (once, kept in the temporary folder), then runs each pass in its own process, twice, alternately.</summary>
    public static async Task RunAsync(int mebibytes)
    {
        var folder = Path.Combine(Path.GetTempPath(), "orderhub-report-bench");
        Directory.CreateDirectory(folder);
        var plain = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"orders-{mebibytes}MiB.tsv"));
        var gzip = plain + ".gz";
        if (!File.Exists(plain) || !File.Exists(gzip))
        {
            var (orders, rows) = Generate(plain, mebibytes * 1024L * 1024L);
            using (var source = File.OpenRead(plain))
            using (var target = new GZipStream(File.Create(gzip), CompressionLevel.Fastest))
            {
                source.CopyTo(target);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"generated {orders} orders in {rows} rows: {new FileInfo(plain).Length / (1024 * 1024)} MiB, gzip {new FileInfo(gzip).Length / (1024 * 1024)} MiB"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"load before: {File.ReadAllText("/proc/loadavg").Trim()}"));
        for (var round = 1; round <= 2; round++)
        {
            foreach (var pass in Passes)
            {
                Console.WriteLine($"round {round} {await RunPassAsync(pass, pass == "reader-gzip" ? gzip : plain)}");
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"load after: {File.ReadAllText("/proc/loadavg").Trim()}"));
    }

    /// <summary>One pass, in this process: prints its rows, time, rate and peak resident memory.</summary>
    public static async Task PassAsync(string pass, string path)
    {
        var clock = Stopwatch.StartNew();
        long rows = 0;
        long orders = 0;
        long characters = 0;
        switch (pass)
        {
            case "csvhelper-bare":
            {
                using var csv = CsvReader.Create(File.OpenRead(path), new CsvReaderOptions { Separator = '\t', Mode = CsvMode.NoEscape, IncludeValuesInExceptions = false, PoolStrings = true });
                await csv.ReadHeaderAsync();
                var count = csv.Headers.Count;
                while (await csv.ReadAsync())
                {
                    rows++;
                    for (var i = 0; i < count; i++)
                    {
                        characters += csv.GetString(i).Length;
                    }
                }

                break;
            }

            case "sylvan-bare":
            {
                using var text = new StreamReader(path, Encoding.UTF8, false, 64 * 1024);
                var options = new Sylvan.Data.Csv.CsvDataReaderOptions { Delimiter = '\t', CsvStyle = Sylvan.Data.Csv.CsvStyle.Escaped, Escape = '\0', Comment = '\0', BufferSize = 64 * 1024 };
                await using var csv = await Sylvan.Data.Csv.CsvDataReader.CreateAsync(text, options);
                var count = csv.FieldCount;
                while (await csv.ReadAsync())
                {
                    rows++;
                    for (var i = 0; i < count; i++)
                    {
                        characters += csv.GetString(i).Length;
                    }
                }

                break;
            }

            default:
            {
                Stream document = File.OpenRead(path);
                if (pass == "reader-gzip")
                {
                    document = new GZipStream(document, CompressionMode.Decompress);
                }

                var reader = new OrderReportReader("sp-bench");
                await foreach (var order in reader.ReadAsync(document, encoding: null))
                {
                    orders++;
                    characters += order.RawPayload!.Utf8Json.Length;
                }

                rows = reader.Summary.Rows;
                break;
            }
        }

        clock.Stop();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{pass}: {rows} rows{(orders > 0 ? $", {orders} orders" : string.Empty)} in {clock.Elapsed.TotalSeconds:0.00} s = {rows / clock.Elapsed.TotalSeconds:0} rows/s; peak RSS {PeakRssKib() / 1024} MiB ({characters} chars read)"));
    }

    private static async Task<string> RunPassAsync(string pass, string path)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])[typeof(ReportReaderMeasurements).Assembly.Location, "report-reader-pass", pass, path])
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? output.Trim() : $"{pass} failed ({process.ExitCode}): {errors}";
    }

    private static long PeakRssKib()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    // Orders placed a few seconds apart over two years, most with one item, some with two or three (and then the
    // same item listed twice now and then); statuses, channels, prices and addresses as the reports write them.
    private static (long Orders, long Rows) Generate(string path, long bytes)
    {
        string[] statuses = ["Shipped", "Shipped - Delivered to Buyer", "Pending", "Unshipped", "Cancelled", "Shipped - Returned to Seller"];
        string[] cities = ["Berlin", "München", "Hamburg", "Köln", "Frankfurt am Main", "Leipzig"];
        string[] products = ["Kaffeebohnen \"Espresso\" 1kg, dunkle Röstung", "USB-C Ladekabel 2 m", "Notizbuch A5 liniert", "Trinkflasche 750 ml Edelstahl"];
        var random = new Random(20261204);
        var start = new DateTimeOffset(2024, 12, 1, 0, 0, 0, TimeSpan.Zero);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.Write(string.Join('\t', Columns));
        writer.Write('\n');
        long orders = 0;
        long rows = 0;
        var values = new string[Columns.Length];
        while (writer.BaseStream.Length < bytes)
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"{random.Next(100, 999)}-{random.Next(1_000_000, 9_999_999)}-{random.Next(1_000_000, 9_999_999)}");
            var placed = start.AddSeconds(orders * 19);
            var status = statuses[random.Next(statuses.Length)];
            var pending = status == "Pending";
            var items = random.Next(10) switch { < 7 => 1, < 9 => 2, _ => 3 };
            var city = random.Next(cities.Length);
            for (var item = 0; item < items; item++)
            {
                var quantity = random.Next(1, 4);
                var price = random.Next(199, 9999) / 100m * quantity;
                string Money(decimal amount) => pending ? string.Empty : amount.ToString("0.00", CultureInfo.InvariantCulture);
                values[0] = id;
                values[1] = random.Next(4) == 0 ? string.Create(CultureInfo.InvariantCulture, $"M-{orders}") : string.Empty;
                values[2] = placed.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
                values[3] = placed.AddHours(random.Next(1, 72)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
                values[4] = status;
                values[5] = random.Next(3) == 0 ? "Merchant" : "Amazon";
                values[6] = "Amazon.de";
                values[7] = string.Empty;
                values[8] = random.Next(5) == 0 ? "Expedited" : "Standard";
                values[9] = products[random.Next(products.Length)];
                values[10] = string.Create(CultureInfo.InvariantCulture, $"SKU-{random.Next(100_000)}");
                values[11] = string.Create(CultureInfo.InvariantCulture, $"B0{random.Next(10_000_000, 99_999_999)}");
                values[12] = quantity.ToString(CultureInfo.InvariantCulture);
                values[13] = status == "Cancelled" ? "Cancelled" : pending ? "Unshipped" : "Shipped";
                values[14] = "MarketplaceFacilitator";
                values[15] = "Amazon Services Europe S.a.r.L.";
                values[16] = values[12];
                values[17] = "EUR";
                values[18] = Money(price);
                values[19] = Money(decimal.Round(price * 0.19m, 2));
                values[20] = Money(item == 0 ? 4.99m : 0m);
                values[21] = Money(item == 0 ? 0.95m : 0m);
                values[22] = Money(0m);
                values[23] = Money(0m);
                values[24] = random.Next(8) == 0 ? Money(-2.50m) : Money(0m);
                values[25] = Money(0m);
                values[26] = "Residential";
                values[27] = cities[city];
                values[28] = "DE-BE";
                values[29] = string.Create(CultureInfo.InvariantCulture, $"{random.Next(10_000, 99_999)}");
                values[30] = "DE";
                values[31] = random.Next(8) == 0 ? "PROMO-SPRING-10" : string.Empty;
                values[32] = "false";
                values[33] = string.Empty;
                values[34] = string.Empty;
                values[35] = string.Empty;
                writer.Write(string.Join('\t', values));
                writer.Write('\n');
                rows++;
            }

            orders++;
        }

        return (orders, rows);
    }
}
