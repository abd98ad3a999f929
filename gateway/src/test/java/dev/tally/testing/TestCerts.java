package dev.tally.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A test CA and certificates it signs, as PEM files in a directory: {@code ca.pem}, and for each
 * issued name {@code <name>.pem} (certificate) and {@code <name>-key.pem} (PKCS#8 key). Server
 * certificates name {@code localhost} and {@code 127.0.0.1} as subjectAltNames, which OkHttp (the
 * OTel SDK's sender) requires.
 */
public final class TestCerts {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private final Path dir;
  private final KeyPair caKey;
  private final X509CertificateHolder ca;

  private TestCerts(Path dir, KeyPair caKey, X509CertificateHolder ca) {
    this.dir = dir;
    this.caKey = caKey;
    this.ca = ca;
  }

  /** A new CA named {@code cn}, written to {@code dir/ca.pem}. */
  public static TestCerts ca(Path dir, String cn) throws Exception {
    KeyPair key = keyPair();
    X500Name name = new X500Name("CN=" + cn);
    X509CertificateHolder cert =
        sign(
            builder(name, name, key)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true)),
            key);
    TestCerts certs = new TestCerts(dir, key, cert);
    write(dir.resolve("ca.pem"), cert);
    return certs;
  }

  public Path caPem() {
    return dir.resolve("ca.pem");
  }

  /** A server certificate for localhost and 127.0.0.1, as {@code <name>.pem} and its key. */
  public Path server(String name) throws Exception {
    KeyPair key = keyPair();
    GeneralNames san =
        new GeneralNames(
            new GeneralName[] {
              new GeneralName(GeneralName.dNSName, "localhost"),
              new GeneralName(GeneralName.iPAddress, "127.0.0.1")
            });
    X509v3CertificateBuilder b =
        builder(ca.getSubject(), new X500Name("CN=localhost"), key)
            .addExtension(Extension.subjectAlternativeName, false, san)
            .addExtension(
                Extension.extendedKeyUsage,
                false,
                new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    return issue(name, sign(b, caKey), key);
  }

  /** A client certificate named {@code cn}, as {@code <name>.pem} and its key. */
  public Path client(String name, String cn) throws Exception {
    KeyPair key = keyPair();
    X509v3CertificateBuilder b =
        builder(ca.getSubject(), new X500Name("CN=" + cn), key)
            .addExtension(
                Extension.extendedKeyUsage,
                false,
                new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
    return issue(name, sign(b, caKey), key);
  }

  /** The key file of an issued certificate file. */
  public static Path keyOf(Path cert) {
    String file = cert.getFileName().toString();
    return cert.resolveSibling(file.substring(0, file.length() - 4) + "-key.pem");
  }

  private Path issue(String name, X509CertificateHolder cert, KeyPair key) throws IOException {
    Path certFile = dir.resolve(name + ".pem");
    write(certFile, cert);
    Files.writeString(
        keyOf(certFile), pem(new PemObject("PRIVATE KEY", key.getPrivate().getEncoded())));
    return certFile;
  }

  private static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static JcaX509v3CertificateBuilder builder(
      X500Name issuer, X500Name subject, KeyPair key) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        BigInteger.valueOf(SERIAL.incrementAndGet()),
        Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(Duration.ofDays(2))),
        subject,
        key.getPublic());
  }

  private static X509CertificateHolder sign(X509v3CertificateBuilder b, KeyPair signer)
      throws OperatorCreationException {
    return b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate()));
  }

  private static void write(Path file, X509CertificateHolder cert) throws IOException {
    Files.writeString(file, pem(new PemObject("CERTIFICATE", cert.getEncoded())));
  }

  private static String pem(PemObject o) throws IOException {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
      pw.writeObject(o);
    }
    return w.toString();
  }
}
