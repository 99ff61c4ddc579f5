// Fixed test keys (generated once with `openssl genpkey`; test-only, never used anywhere else) and
// helpers shared by the security tests. Embedding keys keeps RSA key generation out of most tests:
// it is slow under ASan and ctest runs every test in its own process.
#include "security_test_util.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <memory>

#include "common/crypto.h"

namespace clash::testing {

const char kTestKeyA[] = R"PEM(-----BEGIN PRIVATE KEY-----
MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQC7AMPBr9/FtHLL
PQ0NI5Wn3RbouqC8OdbyMimdYw1X+zoFGvxE/YMoo4O4GEWCQcX0oXNvNaJokqx0
n3aax/YfE2fTWuT9WiUhDceeZ7S5uCX2N7QkdJG91fMMPJ3Em7qkwXb9PjadCPhG
+Yz+WkMAv5MXMRWACct9UvecHdzq9CPle1bz6ALMp7WurnrKTq1tWaqXLw2O5o9d
G096uLyybcc4oLIuB7TfLziMxsfZ3/oSylR/EGfLbBAKm9fxQ5nQO0AypY31IPM5
q86AFC7cvA2gnRxdWMYm2nfrUQuS60B7569js9bqSbarCXXmOu5GWTqE+w7IB9sj
C3HYZeE3AgMBAAECggEAAiukxK9pO37irjU2h5EtgCtIGXTBFNjfA89NPa8T9+d0
lEaXPahrnfcij5Ud3sCArwbeCMu95398UkY04YsHR55kCsdNTRt/aX4iyQCPJRtc
EBrevmWT+M4Y6hVyB1bUuGt+brtgIDvQaz0jmSLXED/TpztB8qB/z3k9DSoo5u6K
vwg2NpzXBCWXOSkAeyEgE2lk4m4gbGsbl8DbDwcijHXO/AHWkR3lpnWy9Kjucrwx
SXVe5DLMqyZN7JAxl+jHhNyZyTsjzNrML9LZSpEWst0WLGC0kVK/ePFUjtkbs0Ab
xldZzr0Ysib+EXmgeY0mq0Jes4FuZNvOWIYIjO5a0QKBgQDiw7GtCSGET+d7yQbI
ZSMWxPszT+FZvsBtwTB1ROmMldC4ptMBvwgPohFDR6ypVJMtA4nILbCutrVyqt2c
dJImQoUWv1JjoFCysqM1Tm/+kyfEpGNZEqvhA6efuObVnQn011/b+18sGLQNxSWT
B9siX5PrPCH4AUBHLUR1fqCtEwKBgQDTHMDxb7GHWqrmLkX+oo3nP4t2qiHja1e2
TB31ZcIXytMXYbyrLRqJErTthU7rs8CQ0q0/SA38obxPrRv2y/4m8RCWUu3arwf+
IX8i7RURHeaAlWUyHkHUag1RvhT9+RXmhvv/IOckrVepMHtZYqafHWPy42QBI9LW
7ySiDk2zzQKBgADLuwXmcE2skh1nGTT+1d6wlkkZ0Kql9rrr4KWotkEeDXt4amkp
KHgVk4Xu7HYzq8iOqJ8hOeuDDKP4YYq5BgJIXXs09K8Q0vetlNENE2uLTKpuAUNA
w4Woo5/14CmDwZMwZk+5VB4tgAREWttnPaejOjurHFtodbdKO2FGLn4tAoGAO/Ud
ozR6shuBEBCyVmhqbvPwMwqMx180MRUbKRf2cPVs0GY0xFTyBV4nvpGu4WhS147O
H3viZQ62QdbDa2tySjMK5/azkPlHBtkSl6PH6O2aCojjjcFkJuTb1Yxrv9nfa3KI
3WPF4ffNPsMDNVa8RdJ+EXydaWl4Nw0CVXhEfz0CgYBYu6CDn5ZHIVhh8mPxlRTg
MUxgkGP595acHwZSOGo9tfeoOY7NcSGsuEve0tOFFlLiTD05kezs6wXmIrgfH6sL
L5aQtWb4uzBP3qVylpFwpvZNRliCPv41I1qXseBoQpOmDZJHAVN4lXU/d+zF6aR7
FJHdnb216KHb9za3RuD1fw==
-----END PRIVATE KEY-----
)PEM";
const char kTestKeyAPkcs1[] = R"PEM(-----BEGIN RSA PRIVATE KEY-----
MIIEogIBAAKCAQEAuwDDwa/fxbRyyz0NDSOVp90W6LqgvDnW8jIpnWMNV/s6BRr8
RP2DKKODuBhFgkHF9KFzbzWiaJKsdJ92msf2HxNn01rk/VolIQ3Hnme0ubgl9je0
JHSRvdXzDDydxJu6pMF2/T42nQj4RvmM/lpDAL+TFzEVgAnLfVL3nB3c6vQj5XtW
8+gCzKe1rq56yk6tbVmqly8NjuaPXRtPeri8sm3HOKCyLge03y84jMbH2d/6EspU
fxBny2wQCpvX8UOZ0DtAMqWN9SDzOavOgBQu3LwNoJ0cXVjGJtp361ELkutAe+ev
Y7PW6km2qwl15jruRlk6hPsOyAfbIwtx2GXhNwIDAQABAoIBAAIrpMSvaTt+4q41
NoeRLYArSBl0wRTY3wPPTT2vE/fndJRGlz2oa533Io+VHd7AgK8G3gjLved/fFJG
NOGLB0eeZArHTU0bf2l+IskAjyUbXBAa3r5lk/jOGOoVcgdW1Lhrfm67YCA70Gs9
I5ki1xA/06c7QfKgf895PQ0qKObuir8INjac1wQllzkpAHshIBNpZOJuIGxrG5fA
2w8HIox1zvwB1pEd5aZ1svSo7nK8MUl1XuQyzKsmTeyQMZfox4Tcmck7I8zazC/S
2UqRFrLdFixgtJFSv3jxVI7ZG7NAG8ZXWc69GLIm/hF5oHmNJqtCXrOBbmTbzliG
CIzuWtECgYEA4sOxrQkhhE/ne8kGyGUjFsT7M0/hWb7AbcEwdUTpjJXQuKbTAb8I
D6IRQ0esqVSTLQOJyC2wrra1cqrdnHSSJkKFFr9SY6BQsrKjNU5v/pMnxKRjWRKr
4QOnn7jm1Z0J9Ndf2/tfLBi0DcUlkwfbIl+T6zwh+AFARy1EdX6grRMCgYEA0xzA
8W+xh1qq5i5F/qKN5z+Ldqoh42tXtkwd9WXCF8rTF2G8qy0aiRK07YVO67PAkNKt
P0gN/KG8T60b9sv+JvEQllLt2q8H/iF/Iu0VER3mgJVlMh5B1GoNUb4U/fkV5ob7
/yDnJK1XqTB7WWKmnx1j8uNkASPS1u8kog5Ns80CgYAAy7sF5nBNrJIdZxk0/tXe
sJZJGdCqpfa66+ClqLZBHg17eGppKSh4FZOF7ux2M6vIjqifITnrgwyj+GGKuQYC
SF17NPSvENL3rZTRDRNri0yqbgFDQMOFqKOf9eApg8GTMGZPuVQeLYAERFrbZz2n
ozo7qxxbaHW3SjthRi5+LQKBgDv1HaM0erIbgRAQslZoam7z8DMKjMdfNDEVGykX
9nD1bNBmNMRU8gVeJ76RruFoUteOzh974mUOtkHWw2trckozCuf2s5D5RwbZEpej
x+jtmgqI443BZCbk29WMa7/Z32tyiN1jxeH3zT7DAzVWvEXSfhF8nWlpeDcNAlV4
RH89AoGAWLugg5+WRyFYYfJj8ZUU4DFMYJBj+feWnB8GUjhqPbX3qDmOzXEhrLhL
3tLThRZS4kw9OZHs7OsF5iK4Hx+rCy+WkLVm+LswT96lcpaRcKb2TUZYgj7+NSNa
l7HgaEKTpg2SRwFTeJV1P3fsxemkexSR3Z29teih2/c2t0bg9X8=
-----END RSA PRIVATE KEY-----
)PEM";
const char kTestKeyB[] = R"PEM(-----BEGIN PRIVATE KEY-----
MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQC4Mp+Wfw/Q6Uey
L7Xl4Sj5lVPgo9HnECE751C89jitlb2VzTIffA3+kIhpOBvrAvHhLGi/SNT9X+56
i7D1kn3T7DC6kZl+3Q6PG/YxLavBmPZc8xGSnCITFUMXiLm1Oq1JQ+y3xjZ8LzWv
WZWZseQ663KOcLjrEgp9aNrXPDWz6dJWta4jGMpmGn08CTKFAC0BYAh+Mr0dYB/f
zlHXoCsKKXSRTarkav4Xv1CLrr2E1sIWnhZ4PqzXMvUnxscrgcsAK65+QFfE1qZP
Vhaf67/j++CzEkc08A232amBPBep2hAPCgOwdA7pHErjIt5jqHiSpIuemzD1S6PP
kR3PDQAFAgMBAAECggEAGY9qzlk88l5AxPTybp8nTrT+UfShpsj596RSc5pORKY8
C+rQywYtsfbP+xveYecDdh3xviOG7M8QWoCCcp1cqRkELQuRy4U05T551Bq0lBWc
EEtpk5jncJL5f61JKeEl1T4f/eN7QZHShw3tIMoK8/MirynsuzACdSMlBQuVnyy1
rc5QD4mRgooxa6SpLC3k/gfF5qOsiUfvxTZkOArdn0bg3vJj/nik1zMQVOEbacH0
7AGFUl/bRZFJSP6qaWQaZZHxAxZH8Zioy0ZBiFNYVCBTguOU/qAQ/f08nUs16dQ2
Em1ZPtlqyNuoZqm+Te3JS4odW79GO+q7grmL9YNKKQKBgQDcQpMeuf4Oq6igSxr6
1CX3ia0GKThYYfpAI9hfLnCyqAIANuv+jDT74yhcQhnJgtltEjWi4TSbhlj9TSAc
oo7fXRlWa9GiGd24RjFCK5M9YwTkCpnxJUgRXaYcn47xhyxCdOJsCM3G2drYRXLx
jVD9XwwEAyfVgieqDGTAS1ZMLQKBgQDWFgymQhtCgXw685agxyqHcQUzdJ+MsuIp
CB9CavG0jJ4r6GVu0DWFc1hQOAENvYiFIhC2wg3UG0YjKyOq1gIXkRMS2Brr3AGU
9wyc0HumeQlLX16si44ggk7lEQdtFecKjJ+68vAxEVG5mbFjzMZ7rY6Gf8wAQreP
LMg7VtJyOQKBgQCUxlcvWvwTFrnIw9JOeHvIrvLzBWastElfh5a/+9NdqYPodzCC
eFvVhAMgBfn7Feoc9T7LbQimwGFdfvngvaB5mR3jNOKddpE/xhHBm0NSJI8KJWsD
6mW6bSIllVTtKZuoq+DAjlXIKiDbElXoeMaqzceE8ki2u7pk7wgipwB8ZQKBgQCu
1LLf03yPg08AlYydIAkLMrEcpFDnhe5Ls+ZTRyK8X1mMYezz4fTTVq74U8QIhI/I
qVkc5ryESwGsFr659Ksgs8jvyquxkal5DYevSFKyUIXWl7upDQ60XbYwOwflfc2A
P/bxpROh/pLPD0ReTAyLU+Dg1dyzGcjtk5SxYOXbgQKBgCn7YGZVNm4bMNvtLTND
5kJWuw2uh86yKVUsyVbW5dEm47evkj4CzJ2NMuD6vHHHGa8JqH7DwxyAbauTnQ6o
/oNjApArIXFEcrK30VwP7PKtmHLUIeq7AWgbyV3np1/oPI7QJJtkZjnjJmKvjT+b
GSMIytKL47/5m6OGkSDreeZI
-----END PRIVATE KEY-----
)PEM";
const char kTestKey1024[] = R"PEM(-----BEGIN PRIVATE KEY-----
MIICeAIBADANBgkqhkiG9w0BAQEFAASCAmIwggJeAgEAAoGBAMkMS+JErxFsTvmV
M53pmlHzKWbbMKrCry+TJZLdgznZybvD/e/+ku7grNlyNcAfHnSjGvm84gkwvVsg
hVYRi3QsX88/NLDzs9nvkq9+AnqLuVvAcOs5B8Aqh1PaoVZp1U9VCvlA+BF+xGMx
+DfUtAqBvUjJ752JlsmZC8iiozc7AgMBAAECgYAn+ajxAaUpurZtS+xqfrNvjgDy
cazYl0NMG18CN8dK7nH9QrgwSxceJlBYICxt2gItQO0xMQxktWtBPlMkzPJEOat+
IagsIZfKNKe0DL3dJoK9DStU56685yO3aPVVeMz4IK81fGpO00496Ju9RkfrTkrd
ihRPoo1r10l8WM1huQJBAPdt4N5YN63eAQ24lR/etb0CHLfch765BlGKl9ycSlEr
0yuFlZ4k9J1ENcyiCKJG6VarpQBELVNGm2UcSLrOXG0CQQDQAx/158YmbH4XgWjX
tSCuk/i5ZqICTOg2mve9kWfWhtn538tVCF3vQE5EAVaB1FXVZEWbx+P8TI7YOV+u
bslHAkEA66CU88kZBReU80cjpF0Hv34icSmvj/5NuRt98VZZI6HTkO+/AwJ4fMf3
X++yvy8+iQ4erPlAHLzxwUFFNbjNpQJBAIIaoj/tYvufelJ7Z7cbnEB1Xumfrw9f
SRL2ZKQWMWt11xq6BnS+EfrWLt3MNG5p//HDkOI56Xhh7iqB4D27H3sCQQDMV2+R
aEssE6jfm0jWIr2W+pFhpr0JU14Ht9/5J5lWHzx4p5SENxLrImArAUu65tWAJVHa
tdf9RWYB+8tWynyl
-----END PRIVATE KEY-----
)PEM";
const char kTestKeyEc[] = R"PEM(-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgrVlDlQJbLjRLVGIt
4QXbD5Kirjz7JS9b/yWrTMeiz7KhRANCAARwPKzckkN5NuWHIgaMDsXBagLQDV/8
5cFlblLjuBecMGI6GQiw17+pkx1BwMlZz6khFSY9CuqcAc/fJel8wdeR
-----END PRIVATE KEY-----
)PEM";

std::string ForgeJwt(std::string_view header_json, std::string_view payload_json, std::string_view signature) {
  return internal::Base64UrlEncode(header_json) + "." + internal::Base64UrlEncode(payload_json) + "." +
         internal::Base64UrlEncode(signature);
}

std::string PublicPemFromJwk(const std::string& n_b64url, const std::string& e_b64url) {
  std::string n = internal::Base64UrlDecode(n_b64url).value_or("");
  std::string e = internal::Base64UrlDecode(e_b64url).value_or("");
  BIGNUM* bn_n = BN_bin2bn(reinterpret_cast<const unsigned char*>(n.data()), static_cast<int>(n.size()), nullptr);
  BIGNUM* bn_e = BN_bin2bn(reinterpret_cast<const unsigned char*>(e.data()), static_cast<int>(e.size()), nullptr);
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n);
  OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e);
  OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
  EVP_PKEY* pkey = nullptr;
  std::string pem;
  if (ctx != nullptr && EVP_PKEY_fromdata_init(ctx) == 1 &&
      EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) == 1) {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PUBKEY(bio, pkey);
    char* data = nullptr;
    long len = BIO_get_mem_data(bio, &data);
    pem.assign(data, static_cast<std::size_t>(len));
    BIO_free(bio);
  }
  EVP_PKEY_free(pkey);
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  BN_free(bn_n);
  BN_free(bn_e);
  return pem;
}

}  // namespace clash::testing
