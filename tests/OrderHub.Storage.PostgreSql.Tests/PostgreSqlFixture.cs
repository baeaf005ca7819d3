using OrderHub.Testing;
using Xunit;

namespace OrderHub.Storage.PostgreSql.Tests;

/// <summary>One throwaway PostgreSQL cluster for the test run; each test takes a database of its own.</summary>
[CollectionDefinition(Name)]
public sealed class PostgreSqlCollection : ICollectionFixture<PostgreSqlServerFixture>
{
    public const string Name = "PostgreSQL";
}
