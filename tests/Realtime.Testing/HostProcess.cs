using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Realtime.Testing;

/// <summary>
/// A real process under test (a silo, a gateway, redis-server): started with arguments, its output
/// kept for waiting and for failure messages; stopped with SIGTERM or killed with SIGKILL.
/// </summary>
public sealed partial class HostProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _waiters = [];

    private HostProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="fileName"/> (for a .dll, through <c>dotnet</c>).</summary>
    public static HostProcess Start(string name, string fileName, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo
        {
            FileName = fileName.EndsWith(".dll", StringComparison.Ordinal) ? "dotnet" : fileName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (fileName.EndsWith(".dll", StringComparison.Ordinal))
        {
            info.ArgumentList.Add(fileName);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_gcServer"] = "0";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var host = new HostProcess(name, process);
        process.OutputDataReceived += (_, e) => host.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => host.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Waits until the process exits by itself, and all its output is read; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().Within($"{Name} to exit", timeout);
        return _process.ExitCode;
    }

    /// <summary>Everything the process wrote, line by line.</summary>
    public IReadOnlyList<string> Output => [.. _output];

    /// <summary>Waits until the process writes a line containing <paramref name="text"/>.</summary>
    public Task WaitForOutputAsync(string text, TimeSpan? timeout = null)
    {
        TaskCompletionSource seen;
        lock (_waiters)
        {
            if (_output.Any(line => line.Contains(text, StringComparison.Ordinal)))
            {
                return Task.CompletedTask;
            }

            seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((text, seen));
        }

        return WaitOrExplain(seen.Task, $"{Name} to write \"{text}\"", timeout ?? TimeSpan.FromSeconds(60));
    }

    /// <summary>The last lines the process wrote.</summary>
    public string Tail(int lines = 40) => string.Join("\n", _output.TakeLast(lines));

    public bool Wrote(string text) => _output.Any(line => line.Contains(text, StringComparison.Ordinal));

    /// <summary>SIGKILL: no goodbye.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as an orchestrator stops a process; killed if it has not exited in time.</summary>
    public async Task StopAsync(TimeSpan? timeout = null)
    {
        if (_process.HasExited)
        {
            return;
        }

        _ = SendSignal(_process.Id, SigTerm);
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            await KillAsync();
            throw new TimeoutException($"{Name} did not stop within its time after SIGTERM:\n{Tail()}");
        }
    }

    /// <summary>Resident memory in bytes (from /proc).</summary>
    public long ResidentBytes()
    {
        _process.Refresh();
        return _process.WorkingSet64;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private async Task WaitOrExplain(Task task, string what, TimeSpan timeout)
    {
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(task, exited, Task.Delay(timeout));
        if (first == task)
        {
            return;
        }

        throw new TimeoutException(first == exited
            ? $"{Name} exited (code {_process.ExitCode}) before {what}:\n{Tail()}"
            : $"Timed out after {timeout.TotalSeconds:0} s waiting for {what}:\n{Tail()}");
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 2000)
        {
            _output.TryDequeue(out _);
        }

        lock (_waiters)
        {
            foreach (var waiter in _waiters.Where(w => line.Contains(w.Text, StringComparison.Ordinal)).ToList())
            {
                waiter.Seen.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
