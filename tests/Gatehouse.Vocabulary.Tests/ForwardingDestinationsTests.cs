namespace Gatehouse.Vocabulary.Tests;

public sealed class ForwardingDestinationsTests
{
    [Theory]
    [InlineData("127.0.0.1:5432", "127.0.0.1", 5432u, true)]
    [InlineData("127.0.0.1:5432", "127.0.0.1", 5433u, false)]
    [InlineData("127.0.0.1:5432", "127.0.0.2", 5432u, false)]
    [InlineData("127.0.0.1:*", "127.0.0.1", 22u, true)]
    [InlineData("db-*.internal:5432", "db-1.internal", 5432u, true)]
    [InlineData("db-*.internal:5432", "DB-EAST.Internal", 5432u, true)]
    [InlineData("db-*.internal:5432", "db-.internal", 5432u, true)]
    [InlineData("db-*.internal:5432", "db-1.evil.internal", 5432u, false)]
    [InlineData("db-*.internal:5432", "db-1.internal.evil.com", 5432u, false)]
    [InlineData("db-*.internal:5432", "xdb-1.internal", 5432u, false)]
    [InlineData("*.internal:443", "api.internal", 443u, true)]
    [InlineData("*.internal:443", "a.b.internal", 443u, false)]
    [InlineData("Localhost:80", "localhost", 80u, true)]
    [InlineData("localhost:80", "127.0.0.1", 80u, false)]
    [InlineData("[::1]:5432", "::1", 5432u, true)]
    [InlineData("[::1]:5432", "0:0:0:0:0:0:0:1", 5432u, true)]
    [InlineData("[::1]:5432", "[::1]", 5432u, false)]
    [InlineData("[fe80::1]:22", "fe80::1%eth0", 22u, false)]
    [InlineData("127.0.0.1:5432", "2130706433", 5432u, true)]
    [InlineData("127.0.0.1:5432", "127.1", 5432u, true)]
    [InlineData("db.internal:5432", "db.internal.", 5432u, false)]
    [InlineData("db.internal:5432", "db.internal\n", 5432u, false)]
    [InlineData("db.internal:5432", " db.internal", 5432u, false)]
    [InlineData("db.internal:5432", "", 5432u, false)]
    [InlineData("db.internal:5432", "db.internal", 0u, false)]
    [InlineData("db.internal:*", "db.internal", 65536u, false)]
    public void A_destination_is_allowed_only_by_a_pattern_that_matches_host_and_port(string pattern, string host, uint port, bool allowed) =>
        Assert.Equal(allowed, ForwardingDestinations.Allows([pattern], host, port));

    [Fact]
    public void No_pattern_allows_nothing() =>
        Assert.False(ForwardingDestinations.Allows([], "127.0.0.1", 5432));

    [Fact]
    public void One_matching_pattern_of_several_is_enough() =>
        Assert.True(ForwardingDestinations.Allows(["10.0.0.1:22", "db-*.internal:5432"], "db-2.internal", 5432));

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("*:*")]
    [InlineData("*:5432")]
    [InlineData("*.*:5432")]
    [InlineData("db.*:5432")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:")]
    [InlineData(":5432")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:65536")]
    [InlineData("127.0.0.1:05432")]
    [InlineData("127.0.0.1:-1")]
    [InlineData("999.0.0.1:80")]
    [InlineData("1.2.3:80")]
    [InlineData("::1:5432")]
    [InlineData("[127.0.0.1]:5432")]
    [InlineData("[fe80::1%eth0]:22")]
    [InlineData("db internal:5432")]
    [InlineData("db.internal :5432")]
    [InlineData("db.internal:5432\n")]
    [InlineData("db.internal\n:5432")]
    [InlineData("db..internal:5432")]
    [InlineData("db.internal.:5432")]
    [InlineData("-db.internal:5432")]
    [InlineData("db_1.internal:5432")]
    [InlineData("db?.internal:5432")]
    public void A_pattern_that_is_not_a_destination_is_refused_with_the_rule(string? pattern)
    {
        var error = ForwardingDestinations.Validate(pattern);
        Assert.NotNull(error);
        Assert.DoesNotContain("\n", error);
        if (pattern is not null)
        {
            Assert.False(ForwardingDestinations.Allows([pattern], "db.internal", 5432));
            Assert.False(ForwardingDestinations.Allows([pattern], "127.0.0.1", 5432));
        }
    }

    [Theory]
    [InlineData("DB-*.Internal:5432", "db-*.internal:5432")]
    [InlineData("[0:0::1]:22", "[::1]:22")]
    [InlineData("127.0.0.1:*", "127.0.0.1:*")]
    public void A_pattern_is_stored_in_one_form(string given, string stored)
    {
        Assert.Null(ForwardingDestinations.Validate(given));
        Assert.Equal(stored, ForwardingDestinations.Normalise(given));
    }

    [Fact]
    public void A_pattern_longer_than_the_limit_is_refused() =>
        Assert.NotNull(ForwardingDestinations.Validate(new string('a', ForwardingDestinations.MaxLength) + ".internal:22"));
}
