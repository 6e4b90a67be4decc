using Npgsql;

namespace MerchantConsole.Tests.PostgreSql;

/// <summary>A fresh database on the test server (MC_TEST_POSTGRES) for one fixture, dropped with it.</summary>
internal static class ThrowawayDatabase
{
    /// <summary>Creates <c>{prefix}_{random}</c> and returns its name and a connection string to it.</summary>
    public static async Task<(string Name, string ConnectionString)> CreateAsync(string serverConnectionString, string prefix)
    {
        var name = prefix + "_" + Guid.NewGuid().ToString("N")[..12];
        await using (var server = new NpgsqlConnection(serverConnectionString))
        {
            await server.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0", server);
            await create.ExecuteNonQueryAsync();
        }
        return (name, new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name }.ConnectionString);
    }

    /// <summary>Drops it, whoever is still connected (a killed node's sessions included).</summary>
    public static async Task DropAsync(string serverConnectionString, string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var server = new NpgsqlConnection(serverConnectionString);
        await server.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", server);
        await drop.ExecuteNonQueryAsync();
    }
}
