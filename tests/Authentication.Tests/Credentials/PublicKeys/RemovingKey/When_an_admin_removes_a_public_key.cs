using Gatehouse.Authentication.Credentials.PublicKeys.AddingKey;
using Gatehouse.Authentication.Credentials.PublicKeys.RemovingKey;
using Gatehouse.Authentication.Tests.Users;
using Gatehouse.Contracts;
using Gatehouse.Vocabulary;
using Gatehouse.Authentication.Tests.Support;

namespace Gatehouse.Authentication.Tests.Credentials.PublicKeys.RemovingKey;

public class When_an_admin_removes_a_public_key
{
    [Fact]
    public void Should_remove_a_key_the_user_has_and_say_when_there_is_none()
    {
        var key = OpenSshPublicKey.ParseAuthorizedKey(TestKeys.Ed25519().Line()).Key!;
        var user = Given.User();
        var withKey = user.Apply(Given.Single<PublicKeyAdded>(AddPublicKey.Decide(user, key, null, null, null, Given.Admin, Given.EventId)));

        Assert.Equal(key.Fingerprint, Given.Single<PublicKeyRemoved>(RemovePublicKey.Decide(withKey, key.Fingerprint, Given.Admin, Given.EventId)).Fingerprint);
        Given.Refused(RemovePublicKey.Decide(user, key.Fingerprint, Given.Admin, Given.EventId), 404, $"alice has no key {key.Fingerprint}");
    }
}
