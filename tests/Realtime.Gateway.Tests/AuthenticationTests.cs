using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Realtime.Gateway.Tests;

/// <summary>The JWT matrix, origins, session expiry and refresh, over real sockets.</summary>
[Collection(AuthCollection.Name)]
public sealed class AuthenticationTests(AuthFixture fixture) : LogCheckedTest
{
    private GatewayServer Server => fixture.Server;

    protected override LogCapture Logs => Server.Logs;

    [Fact]
    public async Task TokenInTheQueryConnectsAsItsSubject()
    {
        await using var client = await Server.ConnectWithTokenAsync(Tokens.Create("alice"));

        Assert.Equal("alice", client.UserId);
    }

    [Fact]
    public async Task TokenInTheAuthorizationHeaderConnectsAsItsSubject()
    {
        var token = Tokens.Create("bob");
        await using var client = await Server.ConnectAsync(configure: o => o.SetRequestHeader("Authorization", "Bearer " + token));

        Assert.Equal("bob", client.UserId);
    }

    public static TheoryData<string, string> BadTokens() => new()
    {
        { "expired", Tokens.Create("eve", expiresIn: TimeSpan.FromMinutes(-5)) },
        { "not yet valid", Tokens.Create("eve", notBeforeIn: TimeSpan.FromMinutes(5)) },
        { "alg none", Tokens.WithoutSignature("eve") },
        { "signed with another key", Tokens.Create("eve", Tokens.Hs256("another-key-that-is-also-long-enough-for-hs256")) },
        { "wrong issuer", Tokens.Create("eve", issuer: "https://someone-else.test") },
        { "wrong audience", Tokens.Create("eve", audience: "another-app") },
        { "no sub", Tokens.Create(null) },
        { "garbage", "not.a.token" },
        { "tampered", Tokens.Create("eve")[..^4] + "AAAA" },
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task BadTokenIsRefusedWith401BeforeTheUpgrade(string why, string token)
    {
        var inQuery = await Server.HandshakeStatusAsync("/ws?token=" + Uri.EscapeDataString(token));
        var inHeader = await Server.HandshakeStatusAsync(configure: o => o.SetRequestHeader("Authorization", "Bearer " + token));

        Assert.True(inQuery == 401, $"{why} in the query gave {inQuery}");
        Assert.True(inHeader == 401, $"{why} in the header gave {inHeader}");
    }

    [Fact]
    public async Task NoTokenIsRefusedWhenAKeyIsConfigured()
    {
        Assert.Equal(401, await Server.HandshakeStatusAsync());
    }

    [Fact]
    public async Task ATokenNeverAppearsInTheLogs()
    {
        var good = Tokens.Create("logcheck");
        var bad = Tokens.Create("logcheck", Tokens.Hs256("another-key-that-is-also-long-enough-for-hs256"));
        await using (var client = await Server.ConnectWithTokenAsync(good))
        {
            await client.RequestAsync("system", "refreshToken", new { token = good });
            await client.RequestAsync("system", "refreshToken", new { token = bad });
        }

        await Server.HandshakeStatusAsync("/ws?token=" + bad);
        await Server.HandshakeStatusAsync("/ws?token=" + Tokens.Create("logcheck", expiresIn: TimeSpan.FromMinutes(-1)));

        Assert.Contains(Server.Logs.Entries, e => e.Level <= LogLevel.Debug);
        var signatures = new[] { good, bad }.Select(t => t[(t.LastIndexOf('.') + 1)..]).ToList();
        Assert.DoesNotContain(Server.Logs.Entries, e => signatures.Any(s => e.ToString().Contains(s, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ARawEndpointChecksTokensAndOriginsAndItsUserGetsTheUsersPushes()
    {
        var user = TestIds.User();
        var token = Tokens.Create(user);
        Assert.Equal(401, await Server.HandshakeStatusAsync("/raw/text"));
        Assert.Equal(401, await Server.HandshakeStatusAsync("/raw/text?token=not-a-token"));
        Assert.Equal(403, await Server.HandshakeStatusAsync("/raw/text?token=" + token, o => o.SetRequestHeader("Origin", "https://evil.test")));

        await using var raw = await RawWsClient.ConnectAsync(Server.WsUriFor("/raw/text"), o => o.SetRequestHeader("Authorization", "Bearer " + token));
        await using var sender = await Server.ConnectWithTokenAsync(Tokens.Create(TestIds.User()));
        var reply = await sender.RequestAsync("test", "sendToUsers", new { users = new[] { user }, text = "to the user" });
        Assert.True(reply.GetProperty("ok").GetBoolean(), reply.ToString());

        // The user's push, as its data alone; no connected frame or roomJoined before it.
        Assert.Equal("""{"text":"to the user"}""", await raw.NextTextAsync("the push to the user"));
    }

    [Fact]
    public async Task OriginNotOnTheListIsRefusedWith403()
    {
        var token = Tokens.Create("carol");

        var refused = await Server.HandshakeStatusAsync("/ws?token=" + token, o => o.SetRequestHeader("Origin", "https://evil.test"));
        var allowed = await Server.HandshakeStatusAsync("/ws?token=" + token, o => o.SetRequestHeader("Origin", AuthFixture.AllowedOrigin));
        var noOrigin = await Server.HandshakeStatusAsync("/ws?token=" + token);

        Assert.Equal((403, 101, 101), (refused, allowed, noOrigin));
    }

    /// <summary>A gateway on the fake cluster whose clock the test moves: expiry without waiting for it.</summary>
    private static Task<GatewayServer> StartWithClockAsync(FakeTimeProvider clock)
        => GatewayServer.StartAsync(new FakeGatewayCluster(), new Dictionary<string, string>
        {
            ["Realtime:Auth:SigningKey"] = Tokens.Key,
            ["Realtime:Auth:Issuer"] = Tokens.Issuer,
            ["Realtime:Auth:Audience"] = Tokens.Audience,
            ["Realtime:Auth:ClockSkew"] = "00:00:00",
        }, time: clock);

    [Fact]
    public async Task SessionIsClosedWith1008WhenItsTokenExpires()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await StartWithClockAsync(clock);
        await using var client = await server.ConnectWithTokenAsync(Tokens.Create("dave", expiresIn: TimeSpan.FromMinutes(5)));
        var stillOpen = (await client.RequestAsync("system", "ping")).GetProperty("ok").GetBoolean();

        clock.Advance(TimeSpan.FromMinutes(6));

        Assert.True(stillOpen);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await client.WaitForCloseAsync("the 1008 close at expiry"));
    }

    [Fact]
    public async Task RefreshedSessionOutlivesItsFirstToken()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await StartWithClockAsync(clock);
        var firstExpiry = DateTimeOffset.UtcNow.AddMinutes(5);
        await using var client = await server.ConnectWithTokenAsync(Tokens.Create("erin", expiresIn: TimeSpan.FromMinutes(5)));
        await using var unrefreshed = await server.ConnectWithTokenAsync(Tokens.Create("erin", expiresIn: TimeSpan.FromMinutes(5)));

        var reply = await client.RequestAsync("system", "refreshToken", new { token = Tokens.Create("erin", expiresIn: TimeSpan.FromMinutes(60)) });
        clock.Advance(TimeSpan.FromMinutes(10));

        // The expiry check ran past the first token's end: the connection that did not refresh is cut.
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await unrefreshed.WaitForCloseAsync("the unrefreshed connection's 1008"));
        Assert.True(reply.GetProperty("ok").GetBoolean());
        Assert.True(reply.GetProperty("data").GetProperty("expiresAt").GetInt64() > firstExpiry.ToUnixTimeSeconds());
        Assert.True((await client.RequestAsync("system", "ping")).GetProperty("ok").GetBoolean());
        Assert.Equal(WebSocketState.Open, client.State);
    }

    [Theory]
    [InlineData("another user")]
    [InlineData("bad signature")]
    [InlineData("expired")]
    [InlineData("missing")]
    public async Task RefreshWithATokenThatDoesNotFitIsUnauthorized(string kind)
    {
        await using var client = await Server.ConnectWithTokenAsync(Tokens.Create("frank"));
        object data = kind switch
        {
            "another user" => new { token = Tokens.Create("mallory") },
            "bad signature" => new { token = Tokens.Create("frank", Tokens.Hs256("another-key-that-is-also-long-enough-for-hs256")) },
            "expired" => new { token = Tokens.Create("frank", expiresIn: TimeSpan.FromMinutes(-1)) },
            _ => new { },
        };

        var reply = await client.RequestAsync("system", "refreshToken", data);

        reply.AssertError("UNAUTHORIZED");
        Assert.Equal(WebSocketState.Open, client.State);
    }

    [Fact]
    public async Task HandlersSeeTheTokensClaims()
    {
        await using var client = await Server.ConnectWithTokenAsync(Tokens.Create("gina", claims: new Dictionary<string, object> { ["team"] = "red", ["role"] = "admin" }));

        var reply = await client.RequestAsync("test", "claims");

        Assert.Equal(["role=admin", "sub=gina", "team=red"], reply.GetProperty("data").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task RoleGatedHandlerRefusesUsersWithoutTheRole()
    {
        await using var admin = await Server.ConnectWithTokenAsync(Tokens.Create("root", claims: new Dictionary<string, object> { ["role"] = new[] { "staff", "admin" } }));
        await using var user = await Server.ConnectWithTokenAsync(Tokens.Create("henry", claims: new Dictionary<string, object> { ["role"] = "staff" }));

        var allowed = await admin.RequestAsync("admin", "stats");
        var refused = await user.RequestAsync("admin", "stats");

        Assert.Equal("secret stats", allowed.GetProperty("data").GetString());
        refused.AssertError("FORBIDDEN");
    }

    [Fact]
    public async Task ClaimGatedHandlerMatchesAWordOfAScope()
    {
        await using var writer = await Server.ConnectWithTokenAsync(Tokens.Create("ivy", claims: new Dictionary<string, object> { ["scope"] = "chat:read chat:write" }));
        await using var reader = await Server.ConnectWithTokenAsync(Tokens.Create("jack", claims: new Dictionary<string, object> { ["scope"] = "chat:read" }));

        Assert.True((await writer.RequestAsync("chat", "write")).GetProperty("ok").GetBoolean());
        (await reader.RequestAsync("chat", "write")).AssertError("FORBIDDEN");
    }
}

/// <summary>Anonymous access when it is enabled next to a key, and the per-user connection limit.</summary>
public sealed class AnonymousAndLimitTests
{
    [Fact]
    public async Task AnonymousIsAllowedNextToAKeyWhenEnabledButBadTokensStillAreNot()
    {
        await using var server = await GatewayServer.StartAsync(
            new Dictionary<string, string>
            {
                ["Realtime:Auth:SigningKey"] = Tokens.Key,
                ["Realtime:Auth:AllowAnonymous"] = "true",
            },
            builder => Realtime.Grains.RealtimeSiloBuilderExtensions.AddRealtimeHandlers(builder.Services, TestHandlers.Register));
        await using var anonymous = await server.ConnectAsync();
        await using var user = await server.ConnectWithTokenAsync(Tokens.Create("kim"));

        Assert.Null(anonymous.UserId);
        Assert.Equal("kim", user.UserId);
        Assert.Equal(401, await server.HandshakeStatusAsync("/ws?token=" + Tokens.Create("kim", expiresIn: TimeSpan.FromMinutes(-1))));
        (await anonymous.RequestAsync("test", "whoami")).AssertError("UNAUTHORIZED");
        Assert.Equal("kim", (await user.RequestAsync("test", "whoami")).GetProperty("data").GetString());
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task TheOldGatewayKeyForTheUserLimitFailsTheStartInsteadOfBeingIgnored()
    {
        var start = GatewayServer.StartOnFakeAsync(new Dictionary<string, string>
        {
            ["Realtime:Auth:SigningKey"] = Tokens.Key,
            ["Realtime:Auth:MaxConnectionsPerUser"] = "2",
        });

        var refused = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => start);
        Assert.Contains("Realtime:Presence:MaxConnectionsPerUser", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectionOverTheUsersLimitIsClosedWith1008()
    {
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string>
        {
            ["Realtime:Auth:SigningKey"] = Tokens.Key,
            ["Realtime:Presence:MaxConnectionsPerUser"] = "2",
        });
        await using var first = await server.ConnectWithTokenAsync(Tokens.Create("lee"));
        await using var second = await server.ConnectWithTokenAsync(Tokens.Create("lee"));
        await using var other = await server.ConnectWithTokenAsync(Tokens.Create("max"));

        await using var third = await WsClient.ConnectAsync(server.WsUriFor("/ws?token=" + Tokens.Create("lee")), expectConnected: false);
        var status = await third.WaitForCloseAsync("the refused connection's close");
        await first.DisposeAsync();
        await TestWait.Until(async () =>
        {
            await using var retry = await WsClient.ConnectAsync(server.WsUriFor("/ws?token=" + Tokens.Create("lee")), expectConnected: false);
            var frame = await retry.NextPushAsync("connected or nothing").ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : default);
            return frame.ValueKind == System.Text.Json.JsonValueKind.Object && frame.GetProperty("action").GetString() == "connected";
        }, "a slot to free up once a connection closed");

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.False(third.TryTakePush(out _), "a refused connection gets no connected frame");
        server.Logs.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task TokensSignedByTheAuthoritysKeysAreAcceptedAndOthersRefused()
    {
        await using var authority = await TestAuthority.StartAsync();
        await using var server = await GatewayServer.StartAsync(new Dictionary<string, string>
        {
            ["Realtime:Auth:Authority"] = authority.Address,
            ["Realtime:Auth:RequireHttpsMetadata"] = "false",
            ["Realtime:Auth:Issuer"] = Tokens.Issuer,
            ["Realtime:Auth:Audience"] = Tokens.Audience,
        });

        await using var rsa = await server.ConnectWithTokenAsync(authority.RsaToken("rita"));
        await using var ec = await server.ConnectWithTokenAsync(authority.EcToken("eddie"));
        using var strangerKey = System.Security.Cryptography.RSA.Create(2048);
        var stranger = Tokens.Create("sam", Tokens.Rs256(strangerKey, "rsa-1"));
        var hs256 = Tokens.Create("sam");

        Assert.Equal("rita", rsa.UserId);
        Assert.Equal("eddie", ec.UserId);
        Assert.Equal(401, await server.HandshakeStatusAsync("/ws?token=" + stranger));
        Assert.Equal(401, await server.HandshakeStatusAsync("/ws?token=" + hs256));
        var refreshed = await rsa.RequestAsync("system", "refreshToken", new { token = authority.RsaToken("rita", TimeSpan.FromHours(2)) });
        Assert.True(refreshed.GetProperty("ok").GetBoolean());
        server.Logs.AssertNoUnexpectedErrors();
    }
}
