using System.Collections.Concurrent;
using System.Diagnostics;
using System.Management.Automation;

namespace MedImageCleaner.PowerShell.Infrastructure;

/// <summary>
/// Runs per-file work for a cmdlet with bounded parallelism: <c>ThrottleLimit</c> 1 processes on the pipeline thread,
/// more starts that many worker threads fed through a bounded queue. Results are handed back to the pipeline thread
/// (only it may write to the pipeline) by <see cref="Drain"/>, always in input order (so which of two inputs meeting
/// at one output wins never depends on which worker finished first); progress is written at most every 250 ms.
/// Stopping (Ctrl+C) cancels between files.
/// </summary>
/// <remarks>
/// One failure path: a per-file problem comes back as a result (the services never throw for a bad input); any
/// exception that escapes the work for one file (a missing native library, a bug) stops every worker, and the next
/// <see cref="Submit"/>, <see cref="Drain"/> or <see cref="Complete"/> on the pipeline thread ends the command with one
/// terminating error built by <see cref="PipelineFailure"/> - in sequential and parallel mode alike, so nothing waits for
/// results that will never come.
/// </remarks>
internal sealed class FilePipeline<TRequest, TResult> : IDisposable
    where TResult : class
{
    private readonly Func<TRequest, CancellationToken, TResult> _process;
    private readonly CancellationTokenSource _cancel = new();
    private readonly BlockingCollection<(long Sequence, TResult? Result)> _results = [];
    private readonly Dictionary<long, TResult?> _held = [];
    private readonly List<Task> _workers = [];
    private readonly BlockingCollection<(long Sequence, TRequest Request)>? _queue;
    private readonly ProgressRecord _progress;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _nextProgressMs;
    private bool _progressShown;
    private long _nextToEmit;
    private Exception? _fault;
    private object? _faultTarget;

    public FilePipeline(int throttleLimit, Func<TRequest, CancellationToken, TResult> process, int activityId, string activity, string description)
    {
        _process = process;
        _progress = new ProgressRecord(activityId, activity, description);
        if (throttleLimit > 1)
        {
            _queue = new BlockingCollection<(long Sequence, TRequest Request)>(throttleLimit * 4);
            for (var i = 0; i < throttleLimit; i++)
            {
                _workers.Add(Task.Factory.StartNew(Work, TaskCreationOptions.LongRunning));
            }
        }
    }

    public bool IsStopping => _cancel.IsCancellationRequested;

    public CancellationToken Token => _cancel.Token;

    public int Submitted { get; private set; }

    public int Completed { get; private set; }

    /// <summary>Queues one request (or processes it now when sequential).</summary>
    public void Submit(Cmdlet cmdlet, TRequest request)
    {
        ThrowIfFaulted(cmdlet);
        var sequence = Submitted++;
        if (_queue is null)
        {
            _results.Add((sequence, Run(request)));
            ThrowIfFaulted(cmdlet);
            return;
        }

        try
        {
            _queue.Add((sequence, request), _cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Submitted--;
            ThrowIfFaulted(cmdlet);
        }
        catch (InvalidOperationException) when (_fault is not null)
        {
            // The queue was closed because a worker failed.
            Submitted--;
            ThrowIfFaulted(cmdlet);
        }
    }

    /// <summary>Hands finished results to <paramref name="emit"/> on the calling (pipeline) thread, in input order.</summary>
    public void Drain(Cmdlet cmdlet, Action<TResult> emit, bool block)
    {
        if (!block && _queue is not null && LiveInput.IsActive)
        {
            // A live source (Receive-DicomFile) is upstream: write every result now, the next input may be hours away.
            while (Completed < Submitted && !_cancel.IsCancellationRequested)
            {
                Drain(cmdlet, emit, block: true);
            }

            return;
        }

        while (true)
        {
            ThrowIfFaulted(cmdlet);
            (long Sequence, TResult? Result) item;
            if (block)
            {
                try
                {
                    if (!_results.TryTake(out item, 200, _cancel.Token))
                    {
                        ReportProgress(cmdlet);
                        return;
                    }
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            else if (!_results.TryTake(out item))
            {
                return;
            }

            _held[item.Sequence] = item.Result;
            while (_held.Remove(_nextToEmit, out var next))
            {
                _nextToEmit++;
                Completed++;
                if (next is not null)
                {
                    emit(next);
                }

                ReportProgress(cmdlet);
            }
        }
    }

    /// <summary>No more requests: waits for the workers, emitting results as they come.</summary>
    public void Complete(Cmdlet cmdlet, Action<TResult> emit)
    {
        _queue?.CompleteAdding();
        while (Completed < Submitted && !_cancel.IsCancellationRequested)
        {
            Drain(cmdlet, emit, block: true);
        }

        ThrowIfFaulted(cmdlet);

        if (_progressShown)
        {
            _progress.RecordType = ProgressRecordType.Completed;
            _progress.PercentComplete = 100;
            cmdlet.WriteProgress(_progress);
        }
    }

    /// <summary>Ctrl+C: no new file starts; files being written finish or leave nothing behind.</summary>
    public void Stop()
    {
        _cancel.Cancel();
        _queue?.CompleteAdding();
    }

    public void Dispose()
    {
        Stop();
        try
        {
            Task.WaitAll([.. _workers], TimeSpan.FromSeconds(30));
        }
        catch (AggregateException)
        {
            // cancelled workers
        }

        _queue?.Dispose();
        _results.Dispose();
        _cancel.Dispose();
    }

    private void Work()
    {
        try
        {
            foreach (var (sequence, request) in _queue!.GetConsumingEnumerable(_cancel.Token))
            {
                var result = Run(request);
                _results.Add((sequence, result));
                if (result is null)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopped
        }
    }

    /// <summary>Processes one request; null when cancelled or when it failed (the failure is kept and every worker stops).</summary>
    private TResult? Run(TRequest request)
    {
        try
        {
            return _process(request, _cancel.Token);
        }
        catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception ex)
        {
            if (Interlocked.CompareExchange(ref _fault, ex, null) is null)
            {
                _faultTarget = request;
            }

            _cancel.Cancel();
            return null;
        }
    }

    /// <summary>On the pipeline thread: ends the command with the first worker failure, if any.</summary>
    private void ThrowIfFaulted(Cmdlet cmdlet)
    {
        if (_fault is { } fault)
        {
            cmdlet.ThrowTerminatingError(PipelineFailure.ToErrorRecord(fault, _faultTarget));
        }
    }

    private void ReportProgress(Cmdlet cmdlet)
    {
        if (Submitted < 5 || _clock.ElapsedMilliseconds < _nextProgressMs)
        {
            return;
        }

        _nextProgressMs = _clock.ElapsedMilliseconds + 250;
        var seconds = _clock.Elapsed.TotalSeconds;
        var rate = seconds > 0 ? Completed / seconds : 0;
        _progress.StatusDescription = $"{Completed} of {Submitted} files ({rate:0.0} files/s)";
        _progress.PercentComplete = (int)(100L * Completed / Math.Max(1, Submitted));
        _progress.SecondsRemaining = rate > 0 ? (int)((Submitted - Completed) / rate) : -1;
        cmdlet.WriteProgress(_progress);
        _progressShown = true;
    }
}
