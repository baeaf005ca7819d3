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

/// <summary>Temporary databases made one after another (a fresh store per test), removed together.</summary>
internal sealed class TempDatabases : IDisposable
{
    private readonly List<TempDatabase> _databases = [];

    public string NewPath()
    {
        var database = new TempDatabase();
        _databases.Add(database);
        return database.Path;
    }

    public void Dispose()
    {
        foreach (var database in _databases)
        {
            database.Dispose();
        }
    }
}
