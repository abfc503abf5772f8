using Realtime.Connections;
using Realtime.Delivery;

namespace Realtime.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class DeliveryGrainTests(ClusterFixture fixture) : LogCheckedTest
{
    private IGrainFactory Grains => fixture.Grains;

    protected override LogCapture Logs => fixture.Logs;

    private async Task<string> ConnectAsync(string gatewayId)
    {
        var clientId = Keys.Client();
        await Grains.GetClientGrain(clientId).Connect(new ClientRegistration(null, gatewayId, "/ws", [], DateTimeOffset.UtcNow));
        return clientId;
    }

    [Fact]
    public async Task SendToClientsGroupsThemByGateway()
    {
        await using var gatewayA = await fixture.ProbeAsync();
        await using var gatewayB = await fixture.ProbeAsync();
        var a1 = await ConnectAsync(gatewayA.GatewayId);
        var a2 = await ConnectAsync(gatewayA.GatewayId);
        var b1 = await ConnectAsync(gatewayB.GatewayId);

        await Grains.GetDeliveryGrain().SendToClients([a1, a2, b1, Keys.Client()], "{}"u8.ToArray(), ["x"], new() { ["k"] = "v" });

        var onA = await gatewayA.NextAsync<ConnectionsPush>("gateway A's push");
        var onB = await gatewayB.NextAsync<ConnectionsPush>("gateway B's push");
        Assert.Equal(new[] { a1, a2 }.Order(), onA.ClientIds.Order());
        Assert.Equal([b1], onB.ClientIds);
        Assert.Equal(["x"], onA.Exclude!);
        Assert.Equal("v", onA.Filter!["k"]);
    }

    [Fact]
    public async Task SendToRoomsReachesEveryGatewayOfAnyOfTheRoomsOnce()
    {
        await using var gatewayA = await fixture.ProbeAsync();
        await using var gatewayB = await fixture.ProbeAsync();
        var (roomX, roomY) = (Keys.Room(), Keys.Room());
        await Grains.GetRoomGrain(roomX).Join(new(Keys.Client(), null, gatewayA.GatewayId));
        await Grains.GetRoomGrain(roomY).Join(new(Keys.Client(), null, gatewayA.GatewayId));
        await Grains.GetRoomGrain(roomY).Join(new(Keys.Client(), null, gatewayB.GatewayId));

        await Grains.GetDeliveryGrain().SendToRooms([roomX, roomY], "{}"u8.ToArray(), null, null);
        await Grains.GetDeliveryGrain().SendToRooms([roomY], "[]"u8.ToArray(), null, null);

        var first = await gatewayA.NextAsync<RoomsPush>("gateway A's first push");
        var second = await gatewayA.NextAsync<RoomsPush>("gateway A's second push: the first was sent once");
        Assert.Equal([roomX, roomY], first.Rooms);
        Assert.Equal([roomY], second.Rooms);
        Assert.Equal([roomX, roomY], (await gatewayB.NextAsync<RoomsPush>("gateway B's push")).Rooms);
    }

    [Fact]
    public async Task SendToAllReachesGatewaysWithALiveLease()
    {
        await using var live = await fixture.ProbeAsync();
        await using var expired = await fixture.ProbeAsync();
        var registry = Grains.GetGatewayRegistry();
        await registry.Renew(live.GatewayId, TimeSpan.FromMinutes(1));
        await registry.Renew(expired.GatewayId, TimeSpan.FromMilliseconds(1));
        await TestWait.Until(async () => (await registry.GetGateways()).All(g => g.GatewayId != expired.GatewayId), "the short lease to run out");

        await Grains.GetDeliveryGrain().SendToAll("{}"u8.ToArray(), null, null);
        await registry.Unregister(live.GatewayId);

        Assert.Equal("{}"u8.ToArray(), (await live.NextAsync<EveryonePush>("the broadcast to all")).Frame);
        await expired.AssertNothingSentAsync("a gateway whose lease ran out is not sent the broadcast");
        Assert.DoesNotContain(await registry.GetGateways(), g => g.GatewayId == live.GatewayId);
    }
}
