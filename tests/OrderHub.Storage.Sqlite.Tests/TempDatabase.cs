namespace OrderHub.Storage.Sqlite.Tests;

/// <summary>A database file in a fresh temporary folder, removed afterwards.</summary>
internal sealed class TempDatabase : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("orderhub-test-").FullName;

    public string Path => System.IO.Path.Combine(_folder, "orders.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
