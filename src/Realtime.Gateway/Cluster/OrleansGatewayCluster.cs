using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Realtime.Connections;
using Realtime.Delivery;
using Realtime.Rooms;

namespace Realtime.Gateway.Cluster;

/// <summary>
/// The gateway's cluster on Orleans: connection, room and gateway grains, and the gateway's stream.
/// The only gateway code that touches <see cref="IClusterClient"/>, grains or streams.
/// </summary>
public sealed partial class OrleansGatewayCluster(IClusterClient cluster, ILogger<OrleansGatewayCluster> logger) : IGatewayCluster
{
    /// <inheritdoc />
    public Task<ConnectResult> RegisterAsync(string clientId, ClientRegistration registration)
        => cluster.GetClientGrain(clientId).Connect(registration);

    /// <inheritdoc />
    public Task UnregisterAsync(string clientId) => cluster.GetClientGrain(clientId).Disconnect();

    /// <inheritdoc />
    public Task<TimeSpan> DropAsync(string clientId, long attachment, bool resumable) => cluster.GetClientGrain(clientId).Drop(attachment, resumable);

    /// <inheritdoc />
    public Task ExpireAsync(string clientId, long attachment) => cluster.GetClientGrain(clientId).Expire(attachment);

    /// <inheritdoc />
    public Task<ResumeResult> ResumeAsync(string clientId, ResumeRequest request) => cluster.GetClientGrain(clientId).Resume(request);

    /// <inheritdoc />
    public Task<ClientJoinResult> JoinRoomAsync(string clientId, ClientJoinRequest request)
        => cluster.GetClientGrain(clientId).JoinRoom(request);

    /// <inheritdoc />
    public Task LeaveRoomAsync(string clientId, string roomName) => cluster.GetClientGrain(clientId).LeaveRoom(roomName);

    /// <inheritdoc />
    /// <remarks>
    /// Straight to the room, which checks the sender is its member on this gateway; only a room
    /// whose publish authorizer asks about the connection's claims is reached through its grain.
    /// </remarks>
    public async Task<RoomPublishResult> PublishAsync(string clientId, ClientPublish publish)
    {
        var result = await cluster.GetRoomGrain(publish.RoomName).Publish(new RoomPublishRequest(
            new MessageSender(clientId, null), publish.Type, publish.Action, publish.Data, publish.Echo, Transient: publish.Transient, ViaGateway: publish.GatewayId, IdempotencyKey: publish.IdempotencyKey));
        return result.ThroughConnection
            ? await cluster.GetClientGrain(clientId).Publish(publish.RoomName, publish.Type, publish.Action, publish.Data, publish.Echo, publish.Transient, publish.IdempotencyKey)
            : result;
    }

    /// <inheritdoc />
    public Task<RoomPresenceResult> GetPresenceAsync(string clientId, string roomName)
        => cluster.GetClientGrain(clientId).GetRoomPresence(roomName);

    /// <inheritdoc />
    public Task<ClientMetadataChange> SetMetadataAsync(string clientId, string key, string? value)
        => cluster.GetClientGrain(clientId).SetMetadata(key, value);

    /// <inheritdoc />
    public Task UpdateClaimsAsync(string clientId, UserClaim[] claims) => cluster.GetClientGrain(clientId).UpdateClaims(claims);

    /// <inheritdoc />
    public Task<HandlerReply> HandleAsync(string clientId, InboundMessage message) => cluster.GetClientGrain(clientId).Handle(message);

    /// <inheritdoc />
    public Task<RoomHistorySlice> GetRoomHistoryAsync(string roomName, long afterSeq) => cluster.GetRoomGrain(roomName).GetHistory(afterSeq);

    /// <inheritdoc />
    public Task<bool> RenewLeaseAsync(string gatewayId, TimeSpan leaseTime) => cluster.GetGatewayRegistry().Renew(gatewayId, leaseTime);

    /// <inheritdoc />
    public Task ReleaseLeaseAsync(string gatewayId) => cluster.GetGatewayRegistry().Unregister(gatewayId);

    /// <inheritdoc />
    public Task<int> CountListedConnectionsAsync(string gatewayId) => cluster.GetGatewayConnections(gatewayId).Count();

    /// <inheritdoc />
    public Task ListConnectionsAsync(string gatewayId, string[] clientIds) => cluster.GetGatewayConnections(gatewayId).Reset(clientIds);

    /// <inheritdoc />
    public async Task<int> CountGatewaysAsync(CancellationToken cancellationToken)
        => (await cluster.GetGatewayRegistry().GetGateways().WaitAsync(cancellationToken)).Length;

    /// <inheritdoc />
    public async Task<IAsyncDisposable> SubscribeAsync(string gatewayId, Func<IReadOnlyList<GatewayMessage>, Task> onMessages)
    {
        var stream = cluster.GetStreamProvider(RealtimeStreams.ProviderName).GetStream<GatewayMessage>(RealtimeStreams.ForGateway(gatewayId));
        var handle = await stream.SubscribeAsync(new Observer(onMessages, this));
        return new Subscription(handle);
    }

    /// <summary>
    /// Hands on each delivery of the stream whole (the items the silo had for the gateway at once);
    /// a failure is the handler's to log, never the stream's.
    /// </summary>
    private sealed class Observer(Func<IReadOnlyList<GatewayMessage>, Task> onMessages, OrleansGatewayCluster owner) : IAsyncBatchObserver<GatewayMessage>
    {
        public Task OnNextAsync(IList<SequentialItem<GatewayMessage>> batch)
        {
            var items = new GatewayMessage[batch.Count];
            for (var i = 0; i < items.Length; i++)
            {
                items[i] = batch[i].Item;
            }

            return onMessages(items);
        }

        public Task OnCompletedAsync() => Task.CompletedTask;

        public Task OnErrorAsync(Exception ex)
        {
            owner.LogStreamError(ex);
            return Task.CompletedTask;
        }
    }

    private sealed class Subscription(StreamSubscriptionHandle<GatewayMessage> handle) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await handle.UnsubscribeAsync();
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "The gateway stream reported an error.")]
    private partial void LogStreamError(Exception exception);
}
