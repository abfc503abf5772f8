using Microsoft.Extensions.Logging;

namespace Realtime.Gateway.Tests;

/// <summary>Starting the embedded server, and stopping it (Ctrl+C) with busy rooms and live connections, logs no warning or error.</summary>
public sealed class CleanStopTests
{
    private const int Rooms = 8;

    /// <summary>
    /// Orleans' note that the process runs the workstation GC: true of this test process only (the
    /// shipped hosts are web projects, which run the server GC).
    /// </summary>
    private static bool IsWorkstationGcNote(LogEntry entry)
        => entry is { Category: "Orleans.Runtime.Silo", EventId.Id: 100405 };

    [Fact]
    public async Task StartingTheEmbeddedServerLogsNothingAboveInformation()
    {
        await using var server = await GatewayServer.StartAsync(logLevel: LogLevel.Information);
        await using var client = await server.ConnectAsync();
        await client.JoinAsync(TestIds.Room());
        var loud = server.Logs.Entries.Where(e => e.Level >= LogLevel.Warning && !IsWorkstationGcNote(e)).ToList();
        Assert.True(loud.Count == 0, "The start logged:\n" + string.Join("\n", loud));
    }

    [Fact]
    public async Task StoppingTheEmbeddedServerWithBusyRoomsLogsNothingAboveInformation()
    {
        var server = await GatewayServer.StartAsync(logLevel: LogLevel.Information);
        await using (server)
        {
            var clients = new List<WsClient>();
            for (var i = 0; i < Rooms; i++)
            {
                var room = TestIds.Room();
                var client = await server.ConnectAsync();
                clients.Add(client);
                await client.JoinAsync(room);
                for (var p = 0; p < 3; p++)
                {
                    await client.PublishAsync(room, new { p });
                }
            }

            var mark = server.Logs.Mark;
            await server.StopAsync();
            var loud = server.Logs.Entries.Where(e => e.Index >= mark && e.Level >= LogLevel.Warning).ToList();
            Assert.True(loud.Count == 0, "The stop logged:\n" + string.Join("\n", loud));
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }
}
