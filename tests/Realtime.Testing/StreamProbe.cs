using System.Threading.Channels;
using Orleans.Streams;
using Realtime.Delivery;

namespace Realtime.Testing;

/// <summary>
/// Subscribes to a gateway's stream the way a gateway does and records what arrives, so grain tests
/// can see exactly which items each gateway is sent. Budget shares (<see cref="UserRateShare"/>), which the
/// presence grain sends as users' connections come and go, are kept apart (<see cref="Shares"/>).
/// </summary>
public sealed class StreamProbe : IAsyncObserver<GatewayMessage>, IAsyncDisposable
{
    private readonly Channel<GatewayMessage> _items = Channel.CreateUnbounded<GatewayMessage>();
    private StreamSubscriptionHandle<GatewayMessage>? _handle;
    private IAsyncStream<GatewayMessage>? _stream;

    private StreamProbe(string gatewayId) => GatewayId = gatewayId;

    public string GatewayId { get; }

    public static async Task<StreamProbe> SubscribeAsync(IClusterClient client, string? gatewayId = null)
    {
        var probe = new StreamProbe(gatewayId ?? "gw_probe_" + Guid.NewGuid().ToString("N")[..8]);
        var stream = client.GetStreamProvider(RealtimeStreams.ProviderName).GetStream<GatewayMessage>(RealtimeStreams.ForGateway(probe.GatewayId));
        probe._stream = stream;
        probe._handle = await stream.SubscribeAsync(probe);
        return probe;
    }

    public async Task<T> NextAsync<T>(string what, TimeSpan? timeout = null)
        where T : GatewayMessage
    {
        var item = await _items.Reader.ReadAsync().AsTask().Within(what, timeout);
        return item as T ?? throw new Xunit.Sdk.XunitException($"Expected a {typeof(T).Name} for {what}, got {item}.");
    }

    /// <summary>
    /// Asserts that nothing was sent to this gateway before now: puts a barrier item on its stream
    /// (behind anything already sent) and expects it to be the next item, so a late item cannot pass unseen.
    /// </summary>
    public async Task AssertNothingSentAsync(string what)
    {
        var barrier = new DisconnectCommand([], 1000, "barrier " + Guid.NewGuid().ToString("N"));
        await _stream!.OnNextAsync(barrier);
        var next = await _items.Reader.ReadAsync().AsTask().Within($"the barrier on {GatewayId}");
        if (next is not DisconnectCommand { Reason: var reason } || reason != barrier.Reason)
        {
            throw new Xunit.Sdk.XunitException($"{what}: {GatewayId} was sent {next} before the barrier.");
        }
    }

    /// <summary>Produces <paramref name="item"/> on this gateway's stream from the client, as an application service would.</summary>
    public Task SendAsync(GatewayMessage item) => _stream!.OnNextAsync(item);

    /// <summary>The budget shares this gateway was sent, in order.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<UserRateShare> Shares { get; } = new();

    public Task OnNextAsync(GatewayMessage item, StreamSequenceToken? token = null)
    {
        if (item is UserRateShare share)
        {
            Shares.Enqueue(share);
            return Task.CompletedTask;
        }

        _items.Writer.TryWrite(item);
        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_handle is not null)
        {
            await _handle.UnsubscribeAsync();
        }
    }
}
