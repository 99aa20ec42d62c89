# Writes "<bits hex> <repr(x)>" lines for special, one-digit and random doubles: python3 python-float-repr.py COUNT SEED
import random, struct, sys, math
random.seed(int(sys.argv[2]))
n=int(sys.argv[1])
out=[]
def add(x):
    if math.isnan(x) or math.isinf(x): return
    out.append("%016x %s" % (struct.unpack('<Q', struct.pack('<d', x))[0], repr(x)))
special=[0.0,-0.0,0.1,2.0,1e-5,1e-4,0.0001,1e16,1e15,9999999999999998.0,1e+16,123456789012345680.0,5e-324,-5e-324,1e23,1e22,
 2.2250738585072014e-308,2.225073858507201e-308,1.7976931348623157e308,0.3,1/3,2/3,100.0,1e100,1e-100,123.456,-1.5,4.35,
 9.5e-5, 0.00015, 1.5e16, 12345678901234567890.0, 1e-7, 5e-5, 0.5, 0.25, 1234567890123456.8]
for x in special: add(x)
for e in range(-324, 309):
    for d in range(1,10):
        try: add(float("%de%d" % (d,e)))
        except: pass
while len(out) < n:
    r=random.random()
    if r<0.4:
        x=struct.unpack('<d', struct.pack('<Q', random.getrandbits(64)))[0]
    elif r<0.6:
        x=random.uniform(-1,1)*10**random.randint(-30,30)
    elif r<0.7:
        x=struct.unpack('<d', struct.pack('<Q', random.getrandbits(52)))[0]  # subnormal
    elif r<0.8:
        x=float(random.randint(-10**17,10**17))
    elif r<0.9:
        x=round(random.uniform(-1000,1000), random.randint(0,6))
    else:
        x=float(struct.unpack('<f', struct.pack('<I', random.getrandbits(32)))[0])
    add(x)
print("\n".join(out))
