using Gatehouse.Authentication.Credentials.PublicKeys.AddingKey;
using Gatehouse.Authentication.Tests.Users;
using Gatehouse.Authentication.Users;
using Gatehouse.Contracts;
using Gatehouse.Vocabulary;
using Gatehouse.Authentication.Tests.Support;

namespace Gatehouse.Authentication.Tests.Credentials.PublicKeys.AddingKey;

public class When_an_admin_adds_a_public_key
{
    private static OpenSshPublicKey Key() => OpenSshPublicKey.ParseAuthorizedKey(TestKeys.Ed25519().Line()).Key!;

    [Fact]
    public void Should_add_a_key_with_its_fingerprint_comment_and_expiry()
    {
        var key = Key();

        var added = Given.Single<PublicKeyAdded>(AddPublicKey.Decide(Given.User(), key, "laptop", Given.Now.AddDays(30), holder: null,
            Given.Admin, Given.EventId));

        Assert.Equal((key.Fingerprint, "laptop", Given.Now.AddDays(30)), (added.Fingerprint, added.Comment, added.ExpiresAt));
    }

    [Fact]
    public void Should_refuse_a_key_the_user_has_or_another_user_holds()
    {
        var key = Key();
        var user = Given.User();
        var withKey = user.Apply(Given.Single<PublicKeyAdded>(AddPublicKey.Decide(user, key, null, null, null, Given.Admin, Given.EventId)));

        Given.Refused(AddPublicKey.Decide(withKey, key, null, null, holder: "alice", Given.Admin, Given.EventId), 409, "already has the key");
        Given.Refused(AddPublicKey.Decide(user, key, null, null, holder: "mallory", Given.Admin, Given.EventId), 409, "belongs to another user (mallory)");
    }

    [Fact]
    public void Should_refuse_a_key_beyond_the_most_a_user_may_have()
    {
        var user = Given.User();
        for (var i = 0; i < AddPublicKey.MaxKeysPerUser; i++)
        {
            user = user.Apply(Given.Single<PublicKeyAdded>(AddPublicKey.Decide(user, Key(), null, null, null, Given.Admin, Given.EventId)));
        }

        Given.Refused(AddPublicKey.Decide(user, Key(), null, null, null, Given.Admin, Given.EventId), 409, $"already has {AddPublicKey.MaxKeysPerUser} keys");
    }
}
