using Microsoft.Extensions.DependencyInjection;
using Orleans.Providers;
using Realtime.Connections;
using Realtime.Delivery;

namespace Realtime.Grains.Tests;

/// <summary>
/// A gateway whose stream cannot be written to (its queue refuses the item) costs the other
/// gateways nothing: they get the push, the caller is not failed into a retry, the failure is logged.
/// </summary>
public sealed class DeliveryFaultTests : OwnClusterTest
{
    private readonly UnreachableGateways _unreachable = new();

    // On memory streams, whose every write is a grain call a filter can refuse; the push-based
    // provider writes locally (its refusal, a full queue, is tested with the provider).
    protected override IDictionary<string, string?> Settings { get; } = new Dictionary<string, string?> { ["Realtime:Streams:Provider"] = "Memory" };

    protected override void ConfigureSilo(IServiceCollection services) => services.AddSingleton<IOutgoingGrainCallFilter>(_unreachable);

    [Fact]
    public async Task AGatewayThatCannotBeReachedIsLoggedAndTheOthersStillGetThePush()
    {
        await using var healthy = await StreamProbe.SubscribeAsync(Cluster.Client);
        await using var broken = await StreamProbe.SubscribeAsync(Cluster.Client);
        var onHealthy = await ConnectAsync(healthy.GatewayId);
        var onBroken = await ConnectAsync(broken.GatewayId);
        _unreachable.Add(broken.GatewayId);
        // Orleans logs the refused write too; both carry the refusal.
        Logs.Expect(e => e.Exception?.Message.Contains(broken.GatewayId, StringComparison.Ordinal) == true);

        await Grains.GetDeliveryGrain().SendToClients([onBroken, onHealthy], "{}"u8.ToArray(), null, null);

        Assert.Equal([onHealthy], (await healthy.NextAsync<ConnectionsPush>("the healthy gateway's push")).ClientIds);
        await TestWait.Until(() => Task.FromResult(Logs.Entries.Any(e => e.EventId.Id == 1900 && e.Message.Contains(broken.GatewayId, StringComparison.Ordinal))), "the failed gateway to be logged");

        // The broken gateway got nothing: a later push to it (once reachable) is the first item it sees.
        _unreachable.Clear();
        await Grains.GetDeliveryGrain().SendToClients([onBroken], "[]"u8.ToArray(), null, null);
        Assert.Equal("[]"u8.ToArray(), (await broken.NextAsync<ConnectionsPush>("the first push after the fault")).Frame);
    }

    private async Task<string> ConnectAsync(string gatewayId)
    {
        var clientId = Keys.Client();
        await Grains.GetClientGrain(clientId).Connect(new ClientRegistration(null, gatewayId, "/ws", [], DateTimeOffset.UtcNow));
        return clientId;
    }

    /// <summary>Refuses the memory-stream writes to the gateways it holds, as an unreachable queue would.</summary>
    private sealed class UnreachableGateways : IOutgoingGrainCallFilter
    {
        private readonly HashSet<string> _gateways = new(StringComparer.Ordinal);
        private readonly Lock _lock = new();

        public void Add(string gatewayId)
        {
            lock (_lock)
            {
                _gateways.Add(gatewayId);
            }
        }

        public void Clear()
        {
            lock (_lock)
            {
                _gateways.Clear();
            }
        }

        public Task Invoke(IOutgoingGrainCallContext context)
        {
            if (context.Request.GetArgumentCount() > 0 && context.Request.GetArgument(0) is MemoryMessageData data)
            {
                var key = data.StreamId.GetKeyAsString();
                lock (_lock)
                {
                    if (_gateways.Contains(key))
                    {
                        throw new InvalidOperationException($"The queue of gateway {key} cannot be reached.");
                    }
                }
            }

            return context.Invoke();
        }
    }
}
