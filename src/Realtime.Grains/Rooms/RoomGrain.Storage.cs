using System.Globalization;
using Orleans.Storage;
using Realtime.Rooms;

namespace Realtime.Grains.Rooms;

/// <summary>
/// The room's writes: its own record (order and member record 0) and its member records, saved
/// together. A save in flight gathers what changes meanwhile into the next one, so joins that
/// arrive together cost one write per record touched, not one write each.
/// </summary>
internal sealed partial class RoomGrain
{
    private readonly List<GrainState<Dictionary<string, RoomMember>>?> _memberRecords = [null];
    private readonly RoomMembers _members = new();
    private TaskCompletionSource? _nextSave;
    private Task _saving = Task.CompletedTask;
    private bool _rootDirty;

    /// <summary>The seq reservation in storage: seqs up to it may be given.</summary>
    private long _reservedSeq;

    /// <summary>A reservation asked for and not yet in storage.</summary>
    private long _wantedReservation;

    private async Task LoadMembers()
    {
        var count = Math.Max(1, State.MemberRecords);
        var records = new Dictionary<string, RoomMember>?[count];
        records[0] = State.Members;
        var reads = new List<Task>(count - 1);
        for (var i = 1; i < count; i++)
        {
            var record = RecordAt(i);
            reads.Add(_storage.ReadStateAsync(RecordName(i), this.GetGrainId(), record));
        }

        await Task.WhenAll(reads);
        for (var i = 1; i < count; i++)
        {
            records[i] = _memberRecords[i]!.State;
        }

        _members.Load(count, records);
    }

    /// <summary>Completes when everything changed so far (members, reservation) is in storage.</summary>
    private Task Save()
    {
        var next = _nextSave ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_saving.IsCompleted)
        {
            _saving = SaveLoop();
        }

        return next.Task;
    }

    /// <summary>Asks for seqs up to <paramref name="reservation"/> and completes when they may be given.</summary>
    private Task Reserve(long reservation)
    {
        _wantedReservation = Math.Max(_wantedReservation, reservation);
        _rootDirty = true;
        return Save();
    }

    private async Task SaveLoop()
    {
        while (_nextSave is { } done)
        {
            _nextSave = null;
            var write = _members.TakeDirty();
            var root = _rootDirty;
            _rootDirty = false;
            try
            {
                await WriteRecords(write, root, clean: false);
                done.SetResult();
            }
            catch (Exception exception)
            {
                _members.Retry(write);
                _rootDirty |= root;
                done.SetException(exception);
            }
        }
    }

    /// <summary>
    /// Writes the records in <paramref name="write"/> and, when asked or needed, the room's own record.
    /// When the record count grew: the new records, then the room's record with the new count, then the old ones.
    /// </summary>
    private async Task WriteRecords(RecordWrite write, bool root, bool clean)
    {
        root |= write.Grew || write.Records.Any(r => r.Index == 0);
        if (write.Grew)
        {
            await Task.WhenAll(write.Records.Where(r => r.Index >= write.PreviousRecordCount).Select(r => WriteRecord(r.Index, r.Members)));
            await WriteRoot(write, clean);
            await Task.WhenAll(write.Records.Where(r => r.Index > 0 && r.Index < write.PreviousRecordCount).Select(r => WriteRecord(r.Index, r.Members)));
            return;
        }

        var writes = write.Records.Where(r => r.Index > 0).Select(r => WriteRecord(r.Index, r.Members)).ToList();
        if (root)
        {
            writes.Add(WriteRoot(write, clean));
        }

        await Task.WhenAll(writes);
    }

    private async Task WriteRoot(RecordWrite write, bool clean)
    {
        foreach (var (index, members) in write.Records)
        {
            if (index == 0)
            {
                State.Members = members;
            }
        }

        var reservation = clean ? _seq : Math.Max(_reservedSeq, _wantedReservation);
        State.MemberRecords = write.RecordCount;
        State.Seq = _seq;
        State.ReservedSeq = reservation;
        State.Clean = clean;
        await _state.WriteStateAsync();
        _reservedSeq = Math.Max(_reservedSeq, reservation);
    }

    private async Task WriteRecord(int index, Dictionary<string, RoomMember> members)
    {
        var record = RecordAt(index);
        record.State = members;
        try
        {
            await _storage.WriteStateAsync(RecordName(index), this.GetGrainId(), record);
        }
        catch (InconsistentStateException)
        {
            // A record an earlier activation wrote and this one never read (it stopped part way
            // through growing the records): take its version and write over it.
            var current = new GrainState<Dictionary<string, RoomMember>>(new Dictionary<string, RoomMember>(StringComparer.Ordinal));
            await _storage.ReadStateAsync(RecordName(index), this.GetGrainId(), current);
            record.ETag = current.ETag;
            await _storage.WriteStateAsync(RecordName(index), this.GetGrainId(), record);
        }
    }

    /// <summary>Writes what is left, with the room's record marked clean (its seq exact).</summary>
    private async Task SaveClean(CancellationToken cancellationToken)
    {
        await WaitForSaves();
        cancellationToken.ThrowIfCancellationRequested();
        await WriteRecords(_members.TakeDirty(), root: true, clean: true);
    }

    /// <summary>The room is empty and has no history: its records go.</summary>
    private async Task ClearRecords(CancellationToken cancellationToken)
    {
        await WaitForSaves();
        for (var i = 1; i < _memberRecords.Count; i++)
        {
            if (_memberRecords[i] is { RecordExists: true } record)
            {
                await _storage.ClearStateAsync(RecordName(i), this.GetGrainId(), record);
            }
        }

        if (_state.RecordExists)
        {
            await _state.ClearStateAsync(cancellationToken);
        }
    }

    private async Task WaitForSaves()
    {
        try
        {
            await _saving;
        }
        catch
        {
            // Its callers were told; what it did not write is still marked to be written.
        }
    }

    private GrainState<Dictionary<string, RoomMember>> RecordAt(int index)
    {
        while (_memberRecords.Count <= index)
        {
            _memberRecords.Add(null);
        }

        return _memberRecords[index] ??= new GrainState<Dictionary<string, RoomMember>>(new Dictionary<string, RoomMember>(StringComparer.Ordinal));
    }

    private static string RecordName(int index) => string.Create(CultureInfo.InvariantCulture, $"roomMembers.{index}");
}
