using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Realtime.Connections;
using Realtime.Grains.Presence;
using Realtime.Rooms;

namespace Realtime.Grains.Tests;

/// <summary>
/// A user's room is the user's presence grain: the user's connections are its members from their
/// connect on, and its order and history outlive the grain's activations and the user's absences.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class UserRoomGrainTests(ClusterFixture fixture) : LogCheckedTest
{
    private IGrainFactory Grains => fixture.Grains;

    protected override LogCapture Logs => fixture.Logs;

    private static RoomPublishRequest Note(string text) => new(null, "note", "new", Encoding.UTF8.GetBytes($$"""{"text":"{{text}}"}"""), Echo: true);

    private static string TextOf(byte[] frame) => JsonDocument.Parse(frame).RootElement.GetProperty("data").GetProperty("text").GetString()!;

    private async Task<(string ClientId, ConnectResult Result)> ConnectAsync(string userId, string gatewayId)
    {
        var clientId = Keys.Client();
        var result = await Grains.GetClientGrain(clientId).Connect(new ClientRegistration(userId, gatewayId, "/ws", [], DateTimeOffset.UtcNow));
        return (clientId, result);
    }

    [Fact]
    public async Task TheUsersConnectionsAreItsMembersFromTheirConnectOn()
    {
        var user = Keys.User();
        var (phone, joined) = await ConnectAsync(user, "gw_a");
        var (laptop, _) = await ConnectAsync(user, "gw_b");
        var room = Grains.GetRoomGrain("user:" + user);

        Assert.Equal(Grains.GetUserPresenceGrain(user).GetGrainId(), room.GetGrainId());
        Assert.Equal(0, joined.UserRoom!.Seq);
        Assert.False(string.IsNullOrEmpty(joined.UserRoom.Epoch));
        Assert.Equal(new[] { laptop, phone }.Order(StringComparer.Ordinal), (await room.GetMembers()).Select(m => m.ClientId).Order(StringComparer.Ordinal));
        Assert.Equal(["gw_a", "gw_b"], (await room.GetGateways()).Order(StringComparer.Ordinal));
        Assert.Equal(1, (await room.Publish(Note("hi"))).Seq);
    }

    [Fact]
    public async Task ItsEpochSeqAndHistoryOutliveTheGrainsActivation()
    {
        var user = Keys.User();
        var (client, joined) = await ConnectAsync(user, "gw_a");
        var room = Grains.GetRoomGrain("user:" + user);
        await room.Publish(Note("one"));
        await room.Publish(Note("two"));

        await fixture.Cluster.DeactivateAsync(room);
        var recovered = await room.Join(new RoomJoinRequest(client, user, "gw_a", Since: 0, Epoch: joined.UserRoom!.Epoch));
        var next = await room.Publish(Note("three"));

        Assert.Equal(joined.UserRoom.Epoch, recovered.Epoch);
        Assert.True(recovered.Recovered);
        Assert.Equal(["one", "two"], recovered.Missed.Select(TextOf));
        Assert.Equal(3, next.Seq);
        Assert.Equal([client], (await room.GetMembers()).Select(m => m.ClientId));
    }

    [Fact]
    public async Task PushesWhileTheUserIsOfflineWaitForItsNextConnection()
    {
        var user = Keys.User();
        var room = Grains.GetRoomGrain("user:" + user);
        await room.Publish(Note("while away"));

        var (client, joined) = await ConnectAsync(user, "gw_a");
        var recovered = await room.Join(new RoomJoinRequest(client, user, "gw_a", Since: 0));

        Assert.Equal(1, joined.UserRoom!.Seq);
        Assert.Equal(["while away"], recovered.Missed.Select(TextOf));
        Assert.True(recovered.Recovered);
    }

    [Fact]
    public async Task AUserWhoLeavesNothingToRecoverIsForgottenAndOneWhoDoesIsKept()
    {
        var (quiet, kept) = (Keys.User(), Keys.User());
        var (quietClient, _) = await ConnectAsync(quiet, "gw_a");
        var (keptClient, _) = await ConnectAsync(kept, "gw_a");
        await Grains.GetRoomGrain("user:" + kept).Publish(Note("keep me"));

        await Grains.GetClientGrain(quietClient).Disconnect();
        await Grains.GetClientGrain(keptClient).Disconnect();

        var storage = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(RealtimeStorage.Name);
        var quietRecord = new GrainState<UserPresenceGrainState>(new UserPresenceGrainState());
        var keptRecord = new GrainState<UserPresenceGrainState>(new UserPresenceGrainState());
        await TestWait.Until(async () =>
        {
            await storage.ReadStateAsync("presence", Grains.GetUserPresenceGrain(quiet).GetGrainId(), quietRecord);
            return !quietRecord.RecordExists;
        }, "the quiet user's presence record to go");
        await storage.ReadStateAsync("presence", Grains.GetUserPresenceGrain(kept).GetGrainId(), keptRecord);

        Assert.True(keptRecord.RecordExists);
        Assert.Equal((false, 1L), (keptRecord.State!.Online, keptRecord.State.RoomSeq));
        Assert.Empty(keptRecord.State.Connections);
    }
}
