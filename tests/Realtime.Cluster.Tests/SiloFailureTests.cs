using Microsoft.Extensions.Options;
using Realtime.Api;
using Realtime.Delivery;
using Realtime.Grains.Streaming;

namespace Realtime.Cluster.Tests;

/// <summary>
/// A silo dies under load: grains come back elsewhere with their state, the stream queues it read move
/// to the others, and no client misses a push silently.
/// </summary>
public sealed class SiloFailureTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>Which silo dies: the one holding the room grain, or one reading a gateway's stream queue (what its queue held is lost).</summary>
    public enum Victim
    {
        RoomSilo,
        QueueReader,
    }

    [Theory]
    [InlineData(Victim.RoomSilo)]
    [InlineData(Victim.QueueReader)]
    public async Task KillingASiloMidBroadcastLosesNoPushSilently(Victim victim)
    {
        const int clientsPerGateway = 50;
        const int pushes = 2000;
        await using var cluster = await ProcessCluster.StartAsync(silos: 2, gateways: 2, new Dictionary<string, string>
        {
            ["Realtime:Gateway:RateLimitPerSecond"] = "0",
            ["Realtime:Gateway:RateLimitBytesPerSecond"] = "0",
        });
        var room = TestIds.Room();
        var clients = new List<WsClient>();
        foreach (var gateway in cluster.Gateways)
        {
            for (var i = 0; i < clientsPerGateway; i++)
            {
                var client = await WsClient.ConnectAsync(gateway.WsUri);
                await client.JoinAsync(room);
                clients.Add(client);
            }
        }

        var grains = await cluster.ClientAsync();
        var realtime = new RealtimeApi(grains);
        var roomGrain = grains.GetRoomGrain(room);
        var failedPublishes = 0;
        var afterKill = 0;
        var lastPublished = 0L;
        SiloNode? killed = null;
        var killedAt = DateTime.MinValue;
        TimeSpan? recoveredIn = null;
        for (var i = 1; i <= pushes || (afterKill < pushes / 4 && DateTime.UtcNow - killedAt < TimeSpan.FromSeconds(60)); i++)
        {
            if (i == pushes / 4)
            {
                killed = victim == Victim.RoomSilo ? await cluster.SiloOf(roomGrain) : await QueueReaderAsync(cluster, grains, roomGrain);
                output.WriteLine($"killing the silo on port {killed.SiloPort} ({victim})");
                await killed.Process.KillAsync();
                killedAt = DateTime.UtcNow;
            }

            try
            {
                lastPublished = await realtime.SendToRoomAsync(room, RealtimePush.Create("chat", "message", new { i }));
                if (killed is not null)
                {
                    afterKill++;
                    recoveredIn ??= DateTime.UtcNow - killedAt;
                }
            }
            catch (Exception)
            {
                // While the cluster notices the dead silo, publishes fail (and say so).
                failedPublishes++;
                await Task.Delay(10);
            }
        }

        // Clients must reach the last push published (a seq reserved but never used is no push).
        var final = lastPublished;
        var silentGaps = new List<string>();
        var resyncs = 0;
        var gaps = 0;
        try
        {
            foreach (var client in clients)
            {
                var last = 0L;
                var told = false;
                while (last < final)
                {
                    var push = await client.NextPushAsync($"client {client.ClientId} to reach seq {final} (at {last})", TimeSpan.FromSeconds(60));
                    if (push.GetProperty("type").GetString() == "system" && push.GetProperty("action").GetString() == "resync")
                    {
                        told = true;
                        resyncs++;
                        continue;
                    }

                    var seq = push.GetProperty("seq").GetInt64();
                    Assert.True(seq > last, $"client {client.ClientId} got seq {seq} after {last}: a duplicate or a reorder");
                    gaps += seq != last + 1 ? 1 : 0;
                    if (seq != last + 1 && !told)
                    {
                        silentGaps.Add($"{client.ClientId}: {last} -> {seq}");
                    }

                    told = false;
                    last = seq;
                }
            }
        }
        catch (Exception exception)
        {
            throw new Xunit.Sdk.XunitException($"{exception.Message}\n{cluster.Diagnostics()}");
        }
        finally
        {
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        }

        output.WriteLine($"final seq {final}, failed publishes {failedPublishes}, published after the kill {afterKill}, first success {recoveredIn} after the kill, gaps seen {gaps}, resyncs {resyncs}");
        output.WriteLine(cluster.Diagnostics());
        Assert.NotNull(killed);
        Assert.True(afterKill >= pushes / 4, $"only {afterKill} publishes succeeded after the silo died");
        Assert.Empty(silentGaps);
    }

    /// <summary>A silo that reads a gateway's stream queue; one that does not also hold the room when there is one.</summary>
    private static async Task<SiloNode> QueueReaderAsync(ProcessCluster cluster, IClusterClient grains, IAddressable room)
    {
        var active = (await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Keys.ToArray();
        var queues = new RealtimeQueues(Options.Create(new RealtimeQueueOptions()));
        var readers = (await grains.GetGatewayRegistry().GetGateways())
            .Select(lease => QueueOwners.Owner(queues.Mapper.GetQueueForStream(RealtimeStreams.ForGateway(lease.GatewayId)), active)!.Endpoint.Port)
            .Distinct()
            .ToList();
        var roomSilo = await cluster.SiloOf(room);
        var port = readers.FirstOrDefault(p => p != roomSilo.SiloPort, readers[0]);
        return cluster.Silos.Single(s => s.SiloPort == port);
    }
}
