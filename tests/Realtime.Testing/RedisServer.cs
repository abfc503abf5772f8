namespace Realtime.Testing;

/// <summary>
/// A real redis-server on a free loopback port, in a temporary directory, with an append-only file
/// (so a stop and a start keep the data, as a production Redis would). Missing redis-server fails
/// the test: tests/run.sh installs it.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string _directory;
    private HostProcess? _process;

    private RedisServer(int port, string directory)
    {
        Port = port;
        _directory = directory;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("realtime-redis-").FullName;
        var server = new RedisServer(FreePorts.Next(), directory);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts (again) on the same port, with the data it had.</summary>
    public async Task StartAgainAsync()
    {
        var executable = FindOnPath("redis-server")
            ?? throw new InvalidOperationException("redis-server is not installed: run tests/run.sh, which installs it (apt-get install redis-server).");
        _process = HostProcess.Start($"redis:{Port}", executable,
        [
            "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--dir", _directory,
            "--save", "",
            "--appendonly", "yes",
            "--appendfsync", "always",
            "--daemonize", "no",
            "--protected-mode", "yes",
        ]);
        await _process.WaitForOutputAsync("Ready to accept connections", TimeSpan.FromSeconds(20));
    }

    /// <summary>Stops it abruptly, as a crash or a network loss would look.</summary>
    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.KillAsync();
            await _process.DisposeAsync();
            _process = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string? FindOnPath(string name)
        => (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin").Append("/usr/local/bin").Append("/usr/sbin")
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
