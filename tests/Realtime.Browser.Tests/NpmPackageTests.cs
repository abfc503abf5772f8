using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;

namespace Realtime.Browser.Tests;

/// <summary>The npm package of the browser client: what it holds, its types, and a page built on it talking MessagePack to the real gateway.</summary>
[Collection(BrowserCollection.Name)]
public sealed class NpmPackageTests(HeadlessChromium chromium, EmbeddedGateway gateway, NpmPackage package) : IClassFixture<EmbeddedGateway>, IClassFixture<NpmPackage>
{
    private GatewayServer Server => gateway.Server;

    [Fact]
    public async Task ThePackageHoldsTheClientTheGatewayServesWithTheLibrariesVersion()
    {
        var files = new Dictionary<string, byte[]>();
        await using (var gzip = new GZipStream(File.OpenRead(package.Tarball), CompressionMode.Decompress))
        {
            using var tar = new TarReader(gzip);
            while (await tar.GetNextEntryAsync() is { } entry)
            {
                using var content = new MemoryStream();
                entry.DataStream?.CopyTo(content);
                files[entry.Name] = content.ToArray();
            }
        }

        Assert.Equal(["package/LICENSE", "package/README.md", "package/package.json", "package/realtime-msgpack.js", "package/realtime.d.ts", "package/realtime.js"], files.Keys.Order(StringComparer.Ordinal));
        using var http = new HttpClient { BaseAddress = Server.HttpUri };
        Assert.Equal(await http.GetByteArrayAsync("/realtime.js"), files["package/realtime.js"]);
        Assert.Equal(await http.GetByteArrayAsync("/realtime.d.ts"), files["package/realtime.d.ts"]);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(RepoPaths.Root, "LICENSE")), files["package/LICENSE"]);

        // One version for the NuGet packages and the npm one.
        using var manifest = JsonDocument.Parse(files["package/package.json"]);
        var props = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "src", "Directory.Build.props"));
        Assert.Contains($"<Version>{manifest.RootElement.GetProperty("version").GetString()}</Version>", props, StringComparison.Ordinal);
        Assert.Equal("module", manifest.RootElement.GetProperty("type").GetString());
    }

    [Fact]
    public void TheGatewaysCopyOfTheMessagePackLibraryIsThePackagesDependencyUnmodified()
    {
        var vendored = Path.Combine(RepoPaths.Root, "src", "Realtime.Gateway", "wwwroot", "realtime-msgpack");
        var installed = package.Installed("@msgpack", "msgpack");
        var published = Path.Combine(installed, "dist.esm");
        string[] Modules(string root) => [.. Directory.GetFiles(root, "*.mjs", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal)];

        Assert.Equal(Modules(published), Modules(vendored));
        foreach (var module in Modules(vendored))
        {
            Assert.True(File.ReadAllBytes(Path.Combine(published, module)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(vendored, module))), $"{module} differs from the published one");
        }

        Assert.Equal(File.ReadAllText(Path.Combine(installed, "LICENSE")), File.ReadAllText(Path.Combine(vendored, "LICENSE")));
    }

    [Fact]
    public async Task TypeScriptChecksAnAppAgainstThePackagesDeclarations()
    {
        await File.WriteAllTextAsync(Path.Combine(package.Consumer, "tsconfig.json"), """
            { "compilerOptions": { "strict": true, "noEmit": true, "target": "es2022", "module": "nodenext", "moduleResolution": "nodenext", "lib": ["es2022", "dom"] },
              "files": ["app.ts"] }
            """);
        await File.WriteAllTextAsync(Path.Combine(package.Consumer, "app.ts"), """
            import { RealtimeClient, RealtimeError, type Push } from '@orleans-realtime/client';

            const client = new RealtimeClient({ protocol: 'msgpack', retryFirstConnect: true, reconnect: { maxAttempts: 3 } });
            client.on<{ text: string }>('chat', 'message', (push: Push<{ text: string }>) => console.log(push.data?.text.length));
            const seq: Promise<number | null> = client.publish('room:a', 'chat', 'message', { blob: new Uint8Array([1, 2]) });
            const protocol: 'realtime.v1.json' | 'realtime.v1.msgpack' | null = client.protocol;
            client.onClose(({ code, reason, reconnecting }) => console.log(code, reason.length, reconnecting));
            console.log(seq, protocol, new RealtimeError('X', 'y').code);
            // @ts-expect-error: not a protocol the client speaks
            new RealtimeClient({ protocol: 'xml' });
            """);

        Assert.Null(await package.TypeCheckAsync());

        // The check can fail: a misuse is reported.
        await File.AppendAllTextAsync(Path.Combine(package.Consumer, "app.ts"), "\nclient.publish(42);\n");
        Assert.Contains("app.ts", await package.TypeCheckAsync() ?? "passed", StringComparison.Ordinal);
    }

    [Fact]
    public async Task APageBuiltOnThePackageTalksMessagePackToTheGatewayWithTheCodecFromItsDependency()
    {
        await using var page = await chromium.OpenAsync(new Uri(Server.HttpUri, "/health"));
        var requested = new List<string>();
        page.Page.Request += (_, request) => { lock (requested) { requested.Add(new Uri(request.Url).AbsolutePath); } };
        // The app's own files, as its web server would serve them, on the gateway's origin.
        await page.Page.RouteAsync(new Uri(Server.HttpUri, "/app/**").ToString(), async route =>
        {
            var path = Path.GetFullPath(Path.Combine(package.Consumer, new Uri(route.Request.Url).AbsolutePath["/app/".Length..]));
            await (path.StartsWith(package.Consumer, StringComparison.Ordinal) && File.Exists(path)
                ? route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/javascript", BodyBytes = await File.ReadAllBytesAsync(path) })
                : route.FulfillAsync(new RouteFulfillOptions { Status = 404 }));
        });

        // The page (a document of the gateway's: Chromium lets a local page open a local socket) maps the
        // package names to the installed files, as an app's bundler or import map would.
        var heard = await page.Page.EvaluateAsync<string>("""
            async ({ url, room }) => {
              const map = document.createElement('script');
              map.type = 'importmap';
              map.textContent = JSON.stringify({ imports: {
                '@orleans-realtime/client': '/app/node_modules/@orleans-realtime/client/realtime.js',
                '@msgpack/msgpack': '/app/node_modules/@msgpack/msgpack/dist.esm/index.mjs' } });
              document.head.append(map);
              const { RealtimeClient } = await import('@orleans-realtime/client');
              const client = new RealtimeClient({ url, protocol: 'msgpack' });
              await client.connect();
              await client.join(room);
              const echoed = new Promise(resolve => client.on('app', 'bytes', push => resolve(push.data)));
              await client.publish(room, 'app', 'bytes', new Uint8Array([1, 2, 250]), { echo: true });
              const data = await echoed;
              const answer = `${client.protocol} ${data instanceof Uint8Array} ${[...data].join(',')}`;
              client.close();
              return answer;
            }
            """, new { url = Server.WsUri.ToString(), room = "room:" + Guid.NewGuid().ToString("N")[..12] });

        Assert.Equal("realtime.v1.msgpack true 1,2,250", heard);
        lock (requested)
        {
            Assert.Contains("/app/node_modules/@msgpack/msgpack/dist.esm/decode.mjs", requested);
            Assert.DoesNotContain(requested, path => path.StartsWith("/realtime", StringComparison.Ordinal));
        }

        page.AssertNoErrors();
    }
}
