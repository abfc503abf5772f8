using Microsoft.Extensions.Logging;

namespace Realtime.Gateway.Tests;

/// <summary>Stopping the embedded server (Ctrl+C) with busy rooms and live connections logs no warning or error.</summary>
public sealed class CleanStopTests
{
    private const int Rooms = 8;

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
