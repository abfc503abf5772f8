using Microsoft.Extensions.DependencyInjection;
using Orleans.Streams;
using Realtime.Connections;
using Realtime.Delivery;
using Realtime.Grains.Streaming;

namespace Realtime.Grains.Tests;

/// <summary>The push-based stream provider in a cluster: order per stream, and queues that follow membership.</summary>
public sealed class StreamProviderTests : OwnClusterTest
{
    protected override short Silos => 2;

    protected override IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>();

    [Fact]
    public async Task ItemsOnOneStreamArriveInTheOrderTheyWereProducedFromAClientAndFromASilo()
    {
        await using var probe = await StreamProbe.SubscribeAsync(Cluster.Client);
        for (var i = 0; i < 100; i++)
        {
            await probe.SendAsync(new ConnectionsPush([$"c{i}"], []));
        }

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal([$"c{i}"], (await probe.NextAsync<ConnectionsPush>($"client item {i}")).ClientIds);
        }

        var clientId = Keys.Client();
        await Grains.GetClientGrain(clientId).Connect(new ClientRegistration(null, probe.GatewayId, "/ws", [], DateTimeOffset.UtcNow));
        for (var i = 0; i < 100; i++)
        {
            await Grains.GetDeliveryGrain().SendToClients([clientId], [(byte)i], null, null);
        }

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal([(byte)i], (await probe.NextAsync<ConnectionsPush>($"silo item {i}")).Frame);
        }
    }

    [Fact]
    public async Task QueuesMoveWhenASiloJoinsAndLeavesAndEveryQueueStillDelivers()
    {
        var probes = await OneProbePerQueueAsync();
        try
        {
            await EachQueueReadByItsOwnerAsync("two silos");
            await EveryProbeReachedAsync(probes, "two silos");

            var third = await Cluster.StartAdditionalSiloAsync();
            await EachQueueReadByItsOwnerAsync("a third silo joined");
            await EveryProbeReachedAsync(probes, "a third silo joined");

            await Cluster.StopSiloAsync(third);
            await EachQueueReadByItsOwnerAsync("the third silo left");
            await EveryProbeReachedAsync(probes, "the third silo left");
        }
        finally
        {
            foreach (var probe in probes)
            {
                await probe.DisposeAsync();
            }
        }
    }

    /// <summary>Probes on gateway streams chosen so that every queue carries one.</summary>
    private async Task<List<StreamProbe>> OneProbePerQueueAsync()
    {
        var queues = Cluster.Silos[0].ServiceProvider.GetRequiredService<RealtimeQueues>();
        var covered = new HashSet<QueueId>();
        var probes = new List<StreamProbe>();
        while (covered.Count < queues.Queues.Count)
        {
            var gatewayId = "gw_probe_" + Guid.NewGuid().ToString("N")[..8];
            if (covered.Add(queues.Mapper.GetQueueForStream(RealtimeStreams.ForGateway(gatewayId))))
            {
                probes.Add(await StreamProbe.SubscribeAsync(Cluster.Client, gatewayId));
            }
        }

        return probes;
    }

    /// <summary>Every active silo's balancer gives it exactly the queues the owner function names it for, and together they cover every queue once.</summary>
    private Task EachQueueReadByItsOwnerAsync(string when) => TestWait.Until(() =>
    {
        var silos = Cluster.Silos.Where(s => s.IsActive).ToList();
        var addresses = silos.Select(s => s.SiloAddress).ToArray();
        var all = silos[0].ServiceProvider.GetRequiredService<RealtimeQueues>().Queues;
        var read = silos.SelectMany(s => s.ServiceProvider.GetRequiredService<QueueBalancer>().GetMyQueues().Select(q => (Queue: q, Silo: s.SiloAddress))).ToList();
        return Task.FromResult(
            read.Count == all.Count
            && read.Select(r => r.Queue).Distinct().Count() == all.Count
            && read.All(r => r.Silo.Equals(QueueOwners.Owner(r.Queue, addresses))));
    }, $"each queue to be read by its owner once {when}");

    private static async Task EveryProbeReachedAsync(List<StreamProbe> probes, string when)
    {
        foreach (var probe in probes)
        {
            await probe.AssertNothingSentAsync($"{probe.GatewayId} once {when}");
        }
    }
}
