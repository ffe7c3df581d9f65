using System.Buffers;
using LeakGuard.Testing;
using LeakGuard.Tests.Testing.Leaks;
using NUnit.Framework;

namespace LeakGuard.Tests.Testing;

/// <summary>
/// LeakAssert against the seed article's seven leak patterns and their fixed counterparts, with real heap snapshots
/// of this test process. Iteration counts stay modest (each snapshot pauses the process) and every leak is cleaned up.
/// </summary>
[NonParallelizable]
public sealed class LeakAssertTests
{
    private const int Iterations = 300;

    [TearDown]
    public void CleanUp()
    {
        SessionCache.Clear();
        ConfigurationBus.Reset();
        RetryQueue.Clear();
        SeenIds.Clear();
        ConnectionPool.Shared.Reset();
        RequestLog.Clear();
        Assert.That(StuckWorkers.ReleaseAll(TimeSpan.FromSeconds(30)), Is.True, "stuck worker threads did not finish");
    }

    [Test]
    public void Unbounded_static_cache_fails_with_the_session_type_and_the_static_field()
    {
        var message = Failure(() => LeakAssert.NoRetainedGrowth(SessionCache.Remember, Iterations));

        Assert.That(message, Does.Contain("LeakGuard.Tests.Testing.Leaks.CachedSession: +600 live instances (1 per iteration)"));
        Assert.That(message, Does.Contain("static field LeakGuard.Tests.Testing.Leaks.SessionCache.Sessions → Dictionary<Int32, LeakGuard.Tests.Testing.Leaks.CachedSession>"));
    }

    [Test]
    public void Event_handler_never_removed_fails_with_the_listener_and_the_static_event()
    {
        var message = Failure(() => LeakAssert.NoRetainedGrowth(() => ConfigurationBus.Subscribe(new ReloadListener()), Iterations));

        Assert.That(message, Does.Contain("LeakGuard.Tests.Testing.Leaks.ReloadListener: +600 live instances"));
        Assert.That(message, Does.Contain("static field LeakGuard.Tests.Testing.Leaks.ConfigurationBus.Changed → EventHandler"));
    }

    [Test]
    public void Closures_kept_in_a_static_list_fail_with_the_captured_request_and_the_list()
    {
        var message = Failure(() => LeakAssert.NoRetainedGrowth(() => RetryQueue.Enqueue(new RequestContext()), Iterations));

        Assert.That(message, Does.Contain("LeakGuard.Tests.Testing.Leaks.RequestContext: +600 live instances"));
        Assert.That(message, Does.Contain("closure in LeakGuard.Tests.Testing.Leaks.RetryQueue"));
        Assert.That(message, Does.Contain("static field LeakGuard.Tests.Testing.Leaks.RetryQueue.Pending → List<Action>"));
    }

    [Test]
    public void Registry_of_seen_ids_fails_with_the_id_strings_and_the_registry()
    {
        var message = Failure(() => LeakAssert.NoRetainedGrowth(() => SeenIds.Record(), Iterations));

        Assert.That(message, Does.Contain("String: +"));
        Assert.That(message, Does.Contain("static field LeakGuard.Tests.Testing.Leaks.SeenIds.Registry → HashSet<String>"));
    }

    [Test]
    public void Threads_that_never_exit_fail_with_the_job_state_held_by_their_stacks()
    {
        var message = Failure(() => LeakAssert.NoRetainedGrowth(StuckWorkers.Start, iterations: 100));

        Assert.That(message, Does.Contain("LeakGuard.Tests.Testing.Leaks.JobState: +200 live instances (1 per iteration)"));
        Assert.That(message, Does.Contain("held by thread stack →"));
    }

    [Test]
    public void Pool_leases_never_returned_fail_with_the_connection_and_the_pool()
    {
        var message = Failure(() => LeakAssert.NoRetainedGrowth(() => ConnectionPool.Shared.Rent(), Iterations));

        Assert.That(message, Does.Contain("LeakGuard.Tests.Testing.Leaks.PooledConnection: +600 live instances"));
        Assert.That(message, Does.Contain("static field LeakGuard.Tests.Testing.Leaks.ConnectionPool.Shared → LeakGuard.Tests.Testing.Leaks.ConnectionPool → HashSet<LeakGuard.Tests.Testing.Leaks.PooledConnection>"));
    }

    [Test]
    public void Growing_log_buffer_fails_with_the_character_buffers_and_the_builder()
    {
        var request = 0;
        var message = Failure(() => LeakAssert.NoRetainedGrowth(() => RequestLog.Write(request++), Iterations));

        Assert.That(message, Does.Contain("Char[]: +"));
        Assert.That(message, Does.Contain("bytes per iteration"));
        Assert.That(message, Does.Contain("static field LeakGuard.Tests.Testing.Leaks.RequestLog.Buffer → StringBuilder"));
    }

    [Test]
    public async Task Async_operation_that_caches_every_session_fails()
    {
        var failure = await CatchAsync(() => LeakAssert.NoRetainedGrowthAsync(
            async () =>
            {
                await Task.Yield();
                SessionCache.Remember();
            },
            Iterations));

        Assert.That(failure?.Message, Does.Contain("CachedSession: +600 live instances"));
    }

    [Test]
    public void Bounded_cache_passes()
    {
        var cache = new BoundedCache<int, CachedSession>(capacity: 64);
        var key = 0;

        Assert.DoesNotThrow(() => LeakAssert.NoRetainedGrowth(() => cache.Set(key, new CachedSession(key++)), Iterations));
        Assert.That(cache.Count, Is.EqualTo(64));
    }

    [Test]
    public void Cache_that_fills_once_with_a_hundred_keys_during_the_measured_runs_passes()
    {
        var cache = new Dictionary<int, CachedSession>();
        var i = 0;

        Assert.DoesNotThrow(() => LeakAssert.NoRetainedGrowth(
            () =>
            {
                var key = i++ % 100;
                cache.TryAdd(key, new CachedSession(key));
            },
            Iterations));
    }

    [Test]
    public void Object_pools_that_get_their_objects_back_pass()
    {
        Assert.DoesNotThrow(() => LeakAssert.NoRetainedGrowth(
            () =>
            {
                var connection = ConnectionPool.Shared.Rent();
                var buffer = ArrayPool<byte>.Shared.Rent(4096);
                connection.Buffer[0] = buffer[0];
                ArrayPool<byte>.Shared.Return(buffer);
                ConnectionPool.Shared.Return(connection);
            },
            Iterations));
    }

    [Test]
    public void String_interning_of_a_fixed_set_passes()
    {
        var i = 0;

        Assert.DoesNotThrow(() => LeakAssert.NoRetainedGrowth(() => TenantNames.Normalize(i++), Iterations));
    }

    [Test]
    public void One_time_lazy_initialisation_larger_than_the_iterations_passes()
    {
        var i = 0;

        Assert.DoesNotThrow(() => LeakAssert.NoRetainedGrowth(() => CountryTable.Lookup(i++), Iterations));
    }

    [Test]
    public async Task Async_operation_without_a_leak_passes()
    {
        Assert.That(await CatchAsync(() => LeakAssert.NoRetainedGrowthAsync(() => Task.Delay(0), Iterations)), Is.Null);
    }

    [Test]
    public void IsCollected_passes_for_an_object_nothing_holds()
    {
        Assert.DoesNotThrow(() => LeakAssert.IsCollected(() => new ReloadListener()));
    }

    [Test]
    public void IsCollected_passes_for_a_listener_that_unsubscribed()
    {
        Assert.DoesNotThrow(() => LeakAssert.IsCollected(() =>
        {
            var listener = new ReloadListener();
            ConfigurationBus.Subscribe(listener);
            ConfigurationBus.Unsubscribe(listener);
            return listener;
        }));
    }

    [Test]
    public void IsCollected_fails_for_a_listener_kept_by_a_static_event_and_names_the_event()
    {
        var message = Failure(() => LeakAssert.IsCollected(() =>
        {
            var listener = new ReloadListener();
            ConfigurationBus.Subscribe(listener);
            return listener;
        }));

        Assert.That(message, Does.Contain("Expected the LeakGuard.Tests.Testing.Leaks.ReloadListener to be garbage-collected"));
        Assert.That(message, Does.Contain("static field LeakGuard.Tests.Testing.Leaks.ConfigurationBus.Changed → EventHandler"));
    }

    [Test]
    public async Task IsCollectedAsync_fails_for_a_listener_kept_by_a_static_event()
    {
        var failure = await CatchAsync(() => LeakAssert.IsCollectedAsync(async () =>
        {
            await Task.Yield();
            var listener = new ReloadListener();
            ConfigurationBus.Subscribe(listener);
            return listener;
        }));

        Assert.That(failure?.Message, Does.Contain("ConfigurationBus.Changed"));
    }

    [Test]
    public void Too_few_iterations_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LeakAssert.NoRetainedGrowth(() => { }, iterations: 5));
    }

    private static string Failure(TestDelegate assertion)
    {
        var failure = Assert.Throws<LeakAssertionException>(assertion);
        TestContext.Out.WriteLine(failure!.Message);
        return failure.Message;
    }

    private static async Task<LeakAssertionException?> CatchAsync(Func<Task> assertion)
    {
        try
        {
            await assertion();
            return null;
        }
        catch (LeakAssertionException ex)
        {
            await TestContext.Out.WriteLineAsync(ex.Message);
            return ex;
        }
    }
}
