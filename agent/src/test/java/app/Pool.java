package app;

/** A bean bound from a config object. */
public class Pool {
  private int size;
  private String name;

  public int getSize() {
    return size;
  }

  public void setSize(int size) {
    this.size = size;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  @Override
  public String toString() {
    return "Pool[" + name + "," + size + "]";
  }
}
