using Realtime.Connections;
using Realtime.Delivery;
using Realtime.Presence;

namespace Realtime.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class PresenceTests(ClusterFixture fixture) : LogCheckedTest
{
    private IGrainFactory Grains => fixture.Grains;

    protected override LogCapture Logs => fixture.Logs;

    private async Task<string> ConnectAsync(string userId, string gatewayId)
    {
        var clientId = Keys.Client();
        await Grains.GetClientGrain(clientId).Connect(new ClientRegistration(userId, gatewayId, "/ws", [], DateTimeOffset.UtcNow));
        return clientId;
    }

    [Fact]
    public async Task AUsersConnectionsOnEveryGatewayAreKnown()
    {
        var userId = Keys.User();
        var phone = await ConnectAsync(userId, "gw_a");
        var laptop = await ConnectAsync(userId, "gw_b");

        var connections = await Grains.GetUserPresenceGrain(userId).GetConnections();

        Assert.True(await Grains.GetUserPresenceGrain(userId).IsOnline());
        Assert.Equal(new[] { (phone, "gw_a"), (laptop, "gw_b") }.Order(), connections.Select(c => (c.ClientId, c.GatewayId)).Order());
    }

    [Fact]
    public async Task AUserIsOnlineUntilTheLastConnectionCloses()
    {
        var userId = Keys.User();
        var presence = Grains.GetUserPresenceGrain(userId);
        var first = await ConnectAsync(userId, "gw_a");
        var second = await ConnectAsync(userId, "gw_b");

        await Grains.GetClientGrain(first).Disconnect();
        var afterFirst = await presence.IsOnline();
        await Grains.GetClientGrain(second).Disconnect();

        Assert.True(afterFirst);
        Assert.False(await presence.IsOnline());
        Assert.Empty(await presence.GetConnections());
    }

    [Fact]
    public async Task SendingToUsersBroadcastsEachUsersRoomToTheGatewaysOfItsConnections()
    {
        await using var gatewayA = await fixture.ProbeAsync();
        await using var gatewayB = await fixture.ProbeAsync();
        var (ada, bob, away) = (Keys.User(), Keys.User(), Keys.User());
        await ConnectAsync(ada, gatewayA.GatewayId);
        await ConnectAsync(ada, gatewayB.GatewayId);
        await ConnectAsync(bob, gatewayA.GatewayId);

        await Grains.GetDeliveryGrain().SendToUsers([ada, bob, away], "t", "a", "{}"u8.ToArray(), null, null);

        // One sequenced push per user's room, to each gateway holding one of its connections; the
        // user who is away has it kept in their room for later.
        var onA = new[] { await gatewayA.NextAsync<RoomPush>("a push on gateway A"), await gatewayA.NextAsync<RoomPush>("another push on gateway A") };
        var onB = await gatewayB.NextAsync<RoomPush>("the push on gateway B");
        Assert.Equal(new[] { "user:" + ada, "user:" + bob }.Order(), onA.Select(p => p.Room).Order());
        Assert.All(onA, p => Assert.Equal(1, p.Seq));
        Assert.Equal(("user:" + ada, 1L), (onB.Room, onB.Seq));
        var kept = await Grains.GetRoomGrain("user:" + away).GetHistory(0);
        Assert.Equal([1L], kept.Seqs);
        await gatewayB.AssertNothingSentAsync("only ada's room has a connection on gateway B");
    }

    [Fact]
    public async Task AUsersBudgetIsSharedAmongTheirConnectionsOnEveryGatewayAsTheyComeAndGo()
    {
        await using var gatewayA = await fixture.ProbeAsync();
        await using var gatewayB = await fixture.ProbeAsync();
        var ada = Keys.User();
        var presence = Grains.GetUserPresenceGrain(ada);
        var phone = new UserConnection(Keys.Client(), gatewayA.GatewayId, DateTimeOffset.UtcNow);
        var laptop = new UserConnection(Keys.Client(), gatewayB.GatewayId, DateTimeOffset.UtcNow);

        await presence.AddConnection(phone);
        await presence.AddConnection(laptop);
        await presence.RemoveConnection(laptop.ClientId);
        await gatewayA.AssertNothingSentAsync("the shares on gateway A (a barrier behind them)");
        await gatewayB.AssertNothingSentAsync("the shares on gateway B (a barrier behind them)");

        // The silo's defaults: 200 frames and 2 MiB per second for the user.
        Assert.Equal(
            [new UserRateShare([phone.ClientId], 200, 2 * 1024 * 1024), new UserRateShare([phone.ClientId], 100, 1024 * 1024), new UserRateShare([phone.ClientId], 200, 2 * 1024 * 1024)],
            gatewayA.Shares.ToArray(),
            ShareComparer.Instance);
        Assert.Equal([new UserRateShare([laptop.ClientId], 100, 1024 * 1024)], gatewayB.Shares.ToArray(), ShareComparer.Instance);
    }

    private sealed class ShareComparer : IEqualityComparer<UserRateShare>
    {
        public static ShareComparer Instance { get; } = new();

        public bool Equals(UserRateShare? x, UserRateShare? y)
            => x is not null && y is not null && x.ClientIds.SequenceEqual(y.ClientIds) && x.FramesPerSecond == y.FramesPerSecond && x.BytesPerSecond == y.BytesPerSecond;

        public int GetHashCode(UserRateShare obj) => obj.FramesPerSecond.GetHashCode();
    }

    [Fact]
    public async Task AddingTheSameConnectionTwiceKeepsOne()
    {
        var userId = Keys.User();
        var presence = Grains.GetUserPresenceGrain(userId);
        var connection = new UserConnection(Keys.Client(), "gw_a", DateTimeOffset.UtcNow);

        await presence.AddConnection(connection);
        await presence.AddConnection(connection);

        Assert.Single(await presence.GetConnections());
        Assert.True(await presence.RemoveConnection(connection.ClientId));
        Assert.False(await presence.RemoveConnection(connection.ClientId));
    }
}
