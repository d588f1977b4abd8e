using Microsoft.Extensions.Time.Testing;

namespace DurablePipelines.TestSupport.Time;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also tells how many of its timers are waiting to fire (a handler's sleep, an
/// attempt's timeout, a retry's backoff, a ttl). Time moves only when a test advances it, so a test waits until the
/// code under test waits on the clock (<see cref="WaitForTimersAsync"/>), then moves it: to just before a due time,
/// where the timer must still be waiting (<see cref="WaitingTimers"/>), and then onto it. Nothing sleeps on the wall
/// clock, and a loaded machine changes nothing but how long the test takes.
/// </summary>
public sealed class TestClock : FakeTimeProvider
{
    /// <summary>How long <see cref="WaitForTimersAsync"/> waits, on the wall clock, before it fails the test.</summary>
    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly List<(int Count, TaskCompletionSource Reached)> _watchers = [];
    private int _waiting;
    private int _registering;

    /// <summary>A clock that starts at 2026-01-01T00:00:00Z and stays there until advanced.</summary>
    public TestClock()
        : base(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>Timers created and not yet fired (a periodic one stays), changed to never, or disposed.</summary>
    public int WaitingTimers
    {
        get
        {
            lock (_gate)
            {
                return _waiting;
            }
        }
    }

    /// <summary>The clock's time as the code under test reads it for records (UTC).</summary>
    public DateTime UtcNow => GetUtcNow().UtcDateTime;

    /// <summary>Completes once at least <paramref name="count"/> timers are waiting; fails after <see cref="WaitLimit"/>.</summary>
    public async Task WaitForTimersAsync(int count)
    {
        TaskCompletionSource reached;
        lock (_gate)
        {
            if (_waiting >= count)
            {
                return;
            }

            reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _watchers.Add((count, reached));
        }

        try
        {
            await reached.Task.WaitAsync(WaitLimit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{WaitingTimers} timers were waiting after {WaitLimit.TotalSeconds} s, not {count}");
        }
    }

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new WatchedTimer(this, callback, state);
        return Registering(() =>
        {
            timer.Arm(dueTime, period);
            timer.Inner = base.CreateTimer(static s => ((WatchedTimer)s!).Fire(), timer, dueTime, period);
            return timer;
        });
    }

    // A timer is counted before the fake provider holds it (one due at once fires inside the provider's call and must
    // find itself counted), but no watcher is released until the provider holds it: a test released earlier could move
    // the clock before the provider set the timer's due time from it, and the timer would wait for a time already past.
    private T Registering<T>(Func<T> register)
    {
        lock (_gate)
        {
            _registering++;
        }

        try
        {
            return register();
        }
        finally
        {
            lock (_gate)
            {
                _registering--;
            }

            Count(0);
        }
    }

    private void Count(int change)
    {
        List<TaskCompletionSource> reached = [];
        lock (_gate)
        {
            _waiting += change;
            _watchers.RemoveAll(w =>
            {
                if (_registering > 0 || w.Count > _waiting)
                {
                    return false;
                }

                reached.Add(w.Reached);
                return true;
            });
        }

        foreach (var r in reached)
        {
            r.TrySetResult();
        }
    }

    /// <summary>The fake provider's timer, counted while it waits.</summary>
    private sealed class WatchedTimer(TestClock clock, TimerCallback callback, object? state) : ITimer
    {
        private readonly Lock _gate = new();
        private bool _waiting;
        private bool _periodic;
        private bool _disposed;

        public ITimer? Inner { get; set; }

        public void Arm(TimeSpan dueTime, TimeSpan period)
        {
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }

                _periodic = period != Timeout.InfiniteTimeSpan && period != TimeSpan.Zero;
                Set(dueTime != Timeout.InfiniteTimeSpan);
            }
        }

        public void Fire()
        {
            lock (_gate)
            {
                if (!_periodic)
                {
                    Set(false);
                }
            }

            callback(state);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            return clock.Registering(() =>
            {
                Arm(dueTime, period);
                return Inner!.Change(dueTime, period);
            });
        }

        public void Dispose()
        {
            lock (_gate)
            {
                Set(false);
                _disposed = true;
            }

            Inner?.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }

        private void Set(bool waiting)
        {
            if (waiting != _waiting)
            {
                _waiting = waiting;
                clock.Count(waiting ? 1 : -1);
            }
        }
    }
}
